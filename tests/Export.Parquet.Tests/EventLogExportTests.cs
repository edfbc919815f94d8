using RecFramework.Data;
using RecFramework.Stores;

namespace RecFramework.Export.Parquet.Tests;

/// <summary>A window of a real SQLite event log exported: the window's events by day, with profiles joined as a build joins them.</summary>
public sealed class EventLogExportTests : IDisposable
{
    private static readonly DateTimeOffset Day0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Six days of events, 30 a day, written out of time order (a late client) and with an impression each day.</summary>
    private async Task<SqliteEventStore> LogAsync()
    {
        var store = new SqliteEventStore(Path.Combine(_dir.Path, "events.db"));
        var events = new List<EventRecord>();
        for (var i = 0; i < 180; i++)
        {
            var day = (i * 7) % 6;
            var time = Day0.AddDays(day).AddMinutes(i).ToUnixTimeSeconds();
            events.Add(new(new Interaction(1 + (i % 9), 100 + (i % 13), i % 30 == 0 ? InteractionType.Impression : InteractionType.Click, time)));
        }

        await store.AppendAsync(events);
        return store;
    }

    [Fact]
    public async Task ExportsOnlyTheWindowsEventsByDay()
    {
        await using var store = await LogAsync();
        var window = new EventLogWindow(Day0.AddDays(1), Day0.AddDays(4));
        var profiles = new InteractionDataset("profiles", [],
            new ProfileTable(new FeatureSchema([new FeatureSpec("country", FeatureKind.Categorical)]), [new Profile(1, [["fr"]]), new Profile(2, [["de"]])]));

        var report = await TrainingDataExporter.ExportAsync(new EventLogDataSource(store), window, profiles, Path.Combine(_dir.Path, "out"),
            new TrainingExportOptions { RowGroupSize = 7, MaxOpenDays = 1 });

        var read = await ExportedFiles.EventsAsync(report.Directory);
        Assert.Equal(90, report.Events);
        Assert.Equal(["2026-12-02", "2026-12-03", "2026-12-04"], report.Days.Select(d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(report.Days, d => Assert.Equal(30, d.Rows));
        Assert.Equal(90, read.Count);
        Assert.All(read, r => Assert.True(window.Contains(r.Event.Timestamp)));
        Assert.All(report.Days, d => Assert.True(d.Files.Count > 1, "one open day at a time: the interleaved days each reopen"));

        var users = await ExportedFiles.ColumnsAsync(Path.Combine(report.Directory, "users.parquet"));
        Assert.Equal([7, 2], users.Select(g => g["user_id"].Length));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), users.SelectMany(g => (long[])g["user_id"]));
        Assert.Equal("fr,de,,,,,,,", string.Join(',', users.SelectMany(g => (string?[])g["country"])));
        using var schema = ExportedFiles.SchemaJson(report.Directory);
        Assert.Contains("event log window 2026-12-02", schema.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(["fr", "de"], schema.RootElement.GetProperty("twoTower").GetProperty("user").GetProperty("fields")[0]
            .GetProperty("vocabulary").EnumerateArray().Select(v => v.GetString()).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task AnEmptyWindowWritesAnExportWithNoEvents()
    {
        await using var store = await LogAsync();
        var window = new EventLogWindow(Day0.AddDays(30), Day0.AddDays(31));

        var report = await TrainingDataExporter.ExportAsync(new EventLogDataSource(store), window, null, _dir.Path);

        Assert.Equal(0, report.Events);
        Assert.Empty(report.Days);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "events")));
        Assert.Empty(await ExportedFiles.ColumnsAsync(Path.Combine(_dir.Path, "users.parquet")));
        using var schema = ExportedFiles.SchemaJson(_dir.Path);
        Assert.Equal(0, schema.RootElement.GetProperty("events").GetProperty("rows").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, schema.RootElement.GetProperty("twoTower").ValueKind);
    }
}
