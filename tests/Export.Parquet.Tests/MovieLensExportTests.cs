using System.Globalization;
using RecFramework.Channels.TwoTower;
using RecFramework.Data;

namespace RecFramework.Export.Parquet.Tests;

/// <summary>ML-100K exported and read back with Parquet.Net: every event in its day, profiles, schema.json.</summary>
public sealed class MovieLensExportTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Day(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task EveryEventReadsBackInItsDayPartition()
    {
        var data = DatasetLoader.Load(TempFolder.MovieLensDirectory());
        var options = new TrainingExportOptions { RowGroupSize = 4_000, MaxOpenDays = 3 };

        var report = await TrainingDataExporter.ExportAsync(data, _dir.Path, options);

        var read = await ExportedFiles.EventsAsync(_dir.Path);
        Assert.Equal(data.Interactions.Length, report.Events);
        Assert.Equal(data.Interactions.Length, read.Count);
        var expected = data.Interactions.GroupBy(e => Day(e.Timestamp)).ToDictionary(g => g.Key, g => g.Count());
        var actual = read.GroupBy(r => r.Date).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
        Assert.All(read, r => Assert.Equal(r.Date, Day(r.Event.Timestamp)));
        static (long, long, long, int, float) Key(Interaction e) => (e.UserId, e.ItemId, e.Timestamp, (int)e.Type, e.Weight);
        Assert.Equal(data.Interactions.Select(Key).Order().ToArray(), read.Select(r => Key(r.Event)).Order().ToArray());
        Assert.Equal(expected.Count, report.Days.Count);
        Assert.Equal(expected.Values.Sum(), report.Days.Sum(d => d.Rows));

        // ML-100K is ordered by user, not time: a data set is exported day by day, one part file per day.
        Assert.All(report.Days, d => Assert.Single(d.Files));
        Assert.All(report.Days.SelectMany(d => d.Files), f => Assert.True(File.Exists(Path.Combine(_dir.Path, f)), f));
        var firstFile = Path.Combine(_dir.Path, report.Days[0].Files[0]);
        var groups = await ExportedFiles.ColumnsAsync(firstFile);
        Assert.All(groups, g => Assert.InRange(g["user_id"].Length, 1, 4_000));
    }

    [Fact]
    public async Task ColumnsHaveTheDocumentedTypes()
    {
        var data = DatasetLoader.Load(TempFolder.MovieLensDirectory());
        var report = await TrainingDataExporter.ExportAsync(data, _dir.Path);

        var events = await ExportedFiles.SchemaAsync(Path.Combine(_dir.Path, report.Days[0].Files[0]));
        Assert.Equal(["user_id", "item_id", "event_type", "timestamp", "weight", "positive"], events.Keys);
        Assert.Equal((typeof(long), false), events["user_id"]);
        Assert.Equal((typeof(int), false), events["event_type"]);
        Assert.Equal((typeof(float), false), events["weight"]);
        Assert.Equal((typeof(bool), false), events["positive"]);

        var users = await ExportedFiles.SchemaAsync(Path.Combine(_dir.Path, "users.parquet"));
        Assert.Equal(["user_id", "id_slot", "gender", "age", "age_bucket", "occupation", "zip_prefix"], users.Keys);
        Assert.Equal((typeof(double), true), users["age"]);
        Assert.Equal((typeof(string), true), users["gender"]);
        var items = await ExportedFiles.SchemaAsync(Path.Combine(_dir.Path, "items.parquet"));
        Assert.Equal((typeof(string), true), items["genres"]);
        Assert.Equal((typeof(double), true), items["release_year"]);
    }

    [Fact]
    public async Task ProfilesReadBackWithTheirIdSlots()
    {
        var data = DatasetLoader.Load(TempFolder.MovieLensDirectory());
        var report = await TrainingDataExporter.ExportAsync(data, _dir.Path, new TrainingExportOptions { RowGroupSize = 500 });

        var users = await ExportedFiles.ColumnsAsync(Path.Combine(_dir.Path, "users.parquet"));
        Assert.Equal(2, users.Count);
        var ids = users.SelectMany(g => (long[])g["user_id"]).ToArray();
        var slots = users.SelectMany(g => (long[])g["id_slot"]).ToArray();
        var ages = users.SelectMany(g => (double?[])g["age"]).ToArray();
        Assert.Equal(943, report.Users);
        Assert.Equal(data.Interactions.Select(e => e.UserId).Distinct().Order(), ids);
        var vocabulary = data.Interactions.Where(e => e.IsPositive).Select(e => e.UserId).Distinct().Order().ToList();
        Assert.Equal(ids.Select(id => (long)(vocabulary.IndexOf(id) + 1)), slots);
        data.Users.TryGet(ids[10], out var profile);
        Assert.Equal(double.Parse(profile.Single(1)!, CultureInfo.InvariantCulture), ages[10]);

        var items = await ExportedFiles.ColumnsAsync(Path.Combine(_dir.Path, "items.parquet"));
        var itemIds = items.SelectMany(g => (long[])g["item_id"]).ToArray();
        var genres = items.SelectMany(g => (string?[])g["genres"]).ToArray();
        Assert.Equal(1682, itemIds.Length);
        data.Items.TryGet(itemIds[0], out var item);
        Assert.Equal(string.Join('|', item.Values[0]), genres[0]);
        Assert.Contains(genres, g => g is not null && g.Contains('|', StringComparison.Ordinal));
    }

    [Fact]
    public async Task SchemaJsonDescribesColumnsEventTypesAndTheTwoTowerFeatures()
    {
        var data = DatasetLoader.Load(TempFolder.MovieLensDirectory());
        var options = new TrainingExportOptions { TwoTower = new TwoTowerOptions { ContinuousEncoding = ContinuousEncoding.Bucketize, ContinuousBuckets = 4 } };
        var report = await TrainingDataExporter.ExportAsync(data, _dir.Path, options);

        using var schema = ExportedFiles.SchemaJson(_dir.Path);
        var root = schema.RootElement;
        Assert.Equal("recframework-training-export", root.GetProperty("format").GetString());
        Assert.Equal(report.Events, root.GetProperty("events").GetProperty("rows").GetInt64());
        Assert.Equal(report.Days.Count, root.GetProperty("events").GetProperty("days").GetArrayLength());
        Assert.Equal(["user_id", "item_id", "event_type", "timestamp", "weight", "positive"],
            root.GetProperty("events").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var types = root.GetProperty("eventTypes").EnumerateArray().ToArray();
        Assert.Equal(InteractionTypes.Names, types.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(Enumerable.Range(0, 9), types.Select(t => t.GetProperty("code").GetInt32()));
        Assert.False(types[0].GetProperty("positive").GetBoolean());
        Assert.True(types[1].GetProperty("positive").GetBoolean());
        Assert.Equal("DOUBLE", root.GetProperty("users").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "age").GetProperty("type").GetString());

        var tower = root.GetProperty("twoTower");
        var userFields = tower.GetProperty("user").GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["F", "M"], userFields["gender"].GetProperty("vocabulary").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("buckets", userFields["age"].GetProperty("encoding").GetString());
        var boundaries = userFields["age"].GetProperty("boundaries").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        Assert.InRange(boundaries.Length, 1, 3);
        Assert.Equal(boundaries.Order(), boundaries);
        Assert.Equal(943, tower.GetProperty("user").GetProperty("idVocabularySize").GetInt32());
        var genres = tower.GetProperty("item").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "genres");
        Assert.Equal("MultiCategorical", genres.GetProperty("kind").GetString());
        Assert.Equal(data.Items.All.SelectMany(p => p.Values[0]).Distinct().Count(), genres.GetProperty("vocabulary").GetArrayLength());
    }
}
