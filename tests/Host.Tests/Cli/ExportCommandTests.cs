using System.Text.Json;
using RecFramework.Data.Synthetic;
using RecFramework.Stores;

namespace RecFramework.Host.Tests.Cli;

/// <summary><c>export</c> through the real Host executable: a generated data set, a window of the SQLite event log, refusals.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private const long T0 = 1_800_000_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-export-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<(int Code, string Output)> RunAsync(params string[] args) => HostExecutable.RunAsync(_dir, ownStores: true, args);

    private JsonElement Schema(string output) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, output, "schema.json"))).RootElement;

    [Fact]
    public async Task ExportsAGeneratedDataSetByDay()
    {
        var data = Path.Combine(_dir, "synthetic");
        var generated = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Interactions = 3_000, Clusters = 3, Days = 4, Seed = 7 });
        SyntheticGenerator.Write(generated, data);

        var (code, output) = await RunAsync("export", "--data", data, "--out", "out", "--row-group-size", "500");

        Assert.True(code == 0, output);
        Assert.Contains("exported 3,000 events", output, StringComparison.Ordinal);
        var schema = Schema("out");
        Assert.Equal(3_000, schema.GetProperty("events").GetProperty("rows").GetInt64());
        Assert.Equal(500, schema.GetProperty("rowGroupSize").GetInt32());
        var days = generated.Dataset.Interactions.Select(e => DateTimeOffset.FromUnixTimeSeconds(e.Timestamp).UtcDateTime.Date).Distinct().Count();
        Assert.Equal(days, Directory.GetDirectories(Path.Combine(_dir, "out", "events"), "date=*").Length);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "users.parquet")) && File.Exists(Path.Combine(_dir, "out", "items.parquet")));
    }

    [Fact]
    public async Task TheChannelsConfiguredOptionsGiveTheFeatureSchemaAndOverwriteReplacesAnExport()
    {
        var data = Path.Combine(_dir, "synthetic");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Interactions = 1_000, Clusters = 2, Days = 2, Seed = 3 }), data);
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{ "RecFramework": { "Channels": { "two-tower": { "Options": { "ContinuousEncoding": "Bucketize", "ContinuousBuckets": 3 } } } } }""");

        var (first, _) = await RunAsync("export", "--data", data, "--out", "out");
        var (refused, refusal) = await RunAsync("export", "--data", data, "--out", "out");
        var (code, output) = await RunAsync("export", "--data", data, "--out", "out", "--overwrite", "--config", "config.json", "--channel", "two-tower");

        Assert.Equal(0, first);
        Assert.Equal(2, refused);
        Assert.Contains("already holds an export", refusal, StringComparison.Ordinal);
        Assert.True(code == 0, output);
        var tower = Schema("out").GetProperty("twoTower");
        Assert.Equal("two-tower", tower.GetProperty("channel").GetString());
        Assert.Equal("Bucketize", tower.GetProperty("options").GetProperty("continuousEncoding").GetString());
        var age = tower.GetProperty("user").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "age");
        Assert.Equal("buckets", age.GetProperty("encoding").GetString());
    }

    [Fact]
    public async Task ExportsAWindowOfTheEventLogAndRefusesAnEmptyOne()
    {
        await using (var store = new SqliteEventStore(Path.Combine(_dir, "events.db")))
        {
            await store.AppendAsync(Enumerable.Range(0, 50).Select(i => new EventRecord(new Interaction(i % 5, i % 7, InteractionType.Click, T0 + (i * 3_600)))).ToArray());
        }

        var (code, output) = await RunAsync("export", "--from-log", "--since", $"{T0 + 7_200}", "--until", $"{T0 + 36_000}", "--out", "window");
        var (empty, emptyOutput) = await RunAsync("export", "--from-log", "--since", $"{T0 - 7_200}", "--until", $"{T0 - 3_600}", "--out", "empty");

        Assert.True(code == 0, output);
        Assert.Equal(8, Schema("window").GetProperty("events").GetProperty("rows").GetInt64());
        Assert.Equal(2, empty);
        Assert.Contains("No events to export", emptyOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--row-group-size must be at least 1; got 0", "export", "--data", "missing", "--out", "o", "--row-group-size", "0")]
    [InlineData("--max-open-days must be at least 1; got -1", "export", "--data", "missing", "--out", "o", "--max-open-days", "-1")]
    [InlineData("Dataset path 'no-such-folder' does not exist", "export", "--data", "no-such-folder", "--out", "o")]
    [InlineData("--since and --until select a window of the event log", "export", "--data", "x", "--since", "2h", "--out", "o")]
    [InlineData("--since 'yesterday-ish' is neither a duration", "export", "--from-log", "--since", "yesterday-ish", "--out", "o")]
    [InlineData("Give the data to export", "export", "--out", "o")]
    [InlineData("'itemcf' is not a two-tower channel (two-tower channels: two-tower)", "export", "--data", "x", "--out", "o", "--channel", "itemcf")]
    public async Task RefusesBadArgumentsNamingTheValue(string message, params string[] args)
    {
        if (message.StartsWith("--since 'yesterday", StringComparison.Ordinal))
        {
            await using var store = new SqliteEventStore(Path.Combine(_dir, "events.db"));
        }

        var (code, output) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "o", "events")));
    }
}
