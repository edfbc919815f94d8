using RecFramework.Data;

namespace RecFramework.Tests.Data;

public sealed class DelimitedInteractionLoaderTests
{
    [Fact]
    public void LoadsCsvWithEventsWeightsAndIsoTimestamps()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("log.csv", "user_id,item_id,timestamp,event,weight\n1,10,100,click,2.5\n1,11,1970-01-01T00:03:20Z,impression,\n2,10,300,Like,1\n");

        var data = DelimitedInteractionLoader.Load(path);

        Assert.Equal("log", data.Name);
        Assert.Equal(
            [
                new Interaction(1, 10, InteractionType.Click, 100, 2.5f),
                new Interaction(1, 11, InteractionType.Impression, 200, 1f),
                new Interaction(2, 10, InteractionType.Like, 300, 1f),
            ],
            data.Interactions);
    }

    [Fact]
    public void DetectsTsvAndColumnOrderAndDefaultsEventToClick()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("log.tsv", "timestamp\titem_id\tuser_id\textra\n5\t7\t3\tignored,with comma\n");

        var data = DelimitedInteractionLoader.Load(path);

        Assert.Equal([new Interaction(3, 7, InteractionType.Click, 5, 1f)], data.Interactions);
    }

    [Fact]
    public void ReadsQuotedCsvFields()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("items.csv", "item_id,title,tags\n1,\"Hello, \"\"world\"\"\",a|b\n2,plain,c\n");
        var log = dir.Write("log.csv", "user_id,item_id,timestamp\n1,1,1\n");

        var data = DelimitedInteractionLoader.Load(log, itemsPath: path);

        Assert.True(data.Items.TryGet(1, out var item));
        Assert.Equal("Hello, \"world\"", item.Single(0));
    }

    [Theory]
    [InlineData("x,10,100,click,1", "user_id is not an integer", "(x)")]
    [InlineData("1,10,yesterday,click,1", "timestamp", "(yesterday)")]
    [InlineData("1,10,100,buy,1", "event is not one of", "(buy)")]
    [InlineData("1,10,100,click,NaN", "weight", "(NaN)")]
    [InlineData("1,10", "expected 5 fields, got 2", "(1,10)")]
    public void MalformedRowThrowsNamingFileLineAndValue(string row, string reason, string value)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("log.csv", $"user_id,item_id,timestamp,event,weight\n1,1,1,click,1\n{row}\n");

        var ex = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(path));

        Assert.Equal(RecError.MalformedInput, ex.Error);
        Assert.Contains("log.csv:3: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredColumnIsReported()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("log.csv", "user_id,item,timestamp\n1,2,3\n");

        var ex = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(path));

        Assert.Contains("item_id", ex.Message, StringComparison.Ordinal);
        Assert.Contains("log.csv:1:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipsAndCountsBadRows()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("log.csv", "user_id,item_id,timestamp\n1,1,1\nq,1,1\n2,2,2\n3,3\n4,4,4\n");

        var data = DelimitedInteractionLoader.Load(path, null, null, null, new LoadOptions { SkipMalformedRows = true }, out var report);

        Assert.Equal([1L, 2, 4], data.Interactions.Select(e => e.UserId));
        Assert.Equal(3, report.Rows);
        Assert.Equal(2, report.SkippedRows);
        Assert.Equal(2, report.Errors.Count);
        Assert.Contains("log.csv:3:", report.Errors[0], StringComparison.Ordinal);
        Assert.Contains("log.csv:5:", report.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void InfersProfileFeatureKindsOrTakesThemFromTheHeader()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("log.csv", "user_id,item_id,timestamp\n1,1,1\n");
        var users = dir.Write("users.csv", "user_id,age,country,tags,zip:categorical,score:continuous,labels:multi\n1,31,fr,a|b,75001,,x\n2,,de,c,10115,2.5,\n");

        var data = DelimitedInteractionLoader.Load(log, usersPath: users);

        Assert.Equal(
            [
                new FeatureSpec("age", FeatureKind.Continuous), new FeatureSpec("country", FeatureKind.Categorical),
                new FeatureSpec("tags", FeatureKind.MultiCategorical), new FeatureSpec("zip", FeatureKind.Categorical),
                new FeatureSpec("score", FeatureKind.Continuous), new FeatureSpec("labels", FeatureKind.MultiCategorical),
            ],
            data.Users.Schema.Fields);
        Assert.True(data.Users.TryGet(1, out var one));
        Assert.Equal(["a", "b"], one.Values[2]);
        Assert.Empty(one.Values[4]);
        Assert.Equal(["x"], one.Values[5]);
        Assert.True(data.Users.TryGet(2, out var two));
        Assert.Empty(two.Values[0]);
        Assert.Equal(["c"], two.Values[2]);
    }

    [Fact]
    public void EqualProfileValuesShareOneStringAndEqualSingleValuesOneArray()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("log.csv", "user_id,item_id,timestamp\n1,1,1\n");
        var items = dir.Write("items.csv", "item_id,category,tags,price\n1,books,a|b,9.5\n2, books ,b|c,9.5\n3,music,a,1\n");

        var data = DelimitedInteractionLoader.Load(log, itemsPath: items);

        Assert.True(data.Items.TryGet(1, out var one));
        Assert.True(data.Items.TryGet(2, out var two));
        Assert.True(data.Items.TryGet(3, out var three));
        Assert.Equal(["books"], one.Values[0]);
        Assert.Equal(["b", "c"], two.Values[1]);
        Assert.Equal(["music"], three.Values[0]);
        Assert.Same(one.Values[0], two.Values[0]); // the trimmed " books " is the same value
        Assert.Same(one.Values[2], two.Values[2]);
        Assert.NotSame(one.Values[0], three.Values[0]);
        Assert.Same(one.Values[1][1], two.Values[1][0]); // "b" in two items' tags
        Assert.Same(one.Values[1][0], three.Values[1][0]);
        Assert.NotSame(one.Values[1], three.Values[1]); // tag lists are the items' own
    }

    [Fact]
    public void ProfileErrorsNameTheFile()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("log.csv", "user_id,item_id,timestamp\n1,1,1\n");
        var items = dir.Write("items.csv", "item_id,price:continuous\n1,3.5\n2,cheap\n");
        var wrongFirst = dir.Write("items2.csv", "id,price\n1,3.5\n");

        var bad = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(log, itemsPath: items));
        var header = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(log, itemsPath: wrongFirst));

        Assert.Contains("items.csv:3:", bad.Message, StringComparison.Ordinal);
        Assert.Contains("(cheap)", bad.Message, StringComparison.Ordinal);
        Assert.Contains("item_id", header.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatasetLoaderPicksTheLayoutFromThePath()
    {
        using var dir = new TempDirectory();
        dir.Write("interactions.tsv", "user_id\titem_id\ttimestamp\n1\t2\t3\n");
        dir.Write("items.csv", "item_id,genre\n2,x\n");
        var single = dir.Write("other.csv", "user_id,item_id,timestamp\n9,9,9\n");

        var folder = DatasetLoader.Load(dir.Path);
        var file = DatasetLoader.Load(single);

        Assert.Equal(Path.GetFileName(dir.Path), folder.Name);
        Assert.Equal(1, folder.Items.Count);
        Assert.Equal(0, folder.Users.Count);
        Assert.Equal(9, Assert.Single(file.Interactions).UserId);
        Assert.Equal(RecError.InvalidArgument, Assert.Throws<RecFrameworkException>(() => DatasetLoader.Load(Path.Combine(dir.Path, "nope"))).Error);
    }
}
