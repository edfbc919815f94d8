using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF.Tests;

public sealed class ArtifactTests
{
    [Fact]
    public void CsrFileRoundTrips()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "x.csr");
        var matrix = CsrMatrix.FromRows([3L, 5L, 9L], [10L, 20L], [[1, 0], null, [1]], [[0.5f, 0.25f], null, [2f]]);
        CsrFile.Write(path, matrix);
        var back = CsrFile.Read(path);
        Assert.Equal(matrix.RowIds, back.RowIds);
        Assert.Equal(matrix.ColumnIds, back.ColumnIds);
        Assert.Equal(matrix.Offsets, back.Offsets);
        Assert.Equal(matrix.Columns, back.Columns);
        Assert.Equal(matrix.Values, back.Values);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("magic")]
    [InlineData("column")]
    [InlineData("version")]
    public void CorruptFileThrowsArtifactCorruptNamingTheFile(string damage)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "broken.csr");
        CsrFile.Write(path, CsrMatrix.FromRows([3L, 5L], [10L, 20L], [[1, 0], [1]], [[0.5f, 0.25f], [2f]]));
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncate":
                bytes = bytes[..^3];
                break;
            case "magic":
                bytes[0] = (byte)'X';
                break;
            case "version":
                bytes[8] = 9;
                break;
            default:
                // First column position (after header 24, ids 2·8 + 2·8, offsets 3·4) → 7, outside [0, 2).
                bytes[24 + 32 + 12] = 7;
                break;
        }

        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<RecFrameworkException>(() => CsrFile.Read(path));
        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("broken.csr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildsAreDeterministicAcrossThreadCounts()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var data = TestData.Random(200, 80, 15, seed: 11);
        foreach (var (channel, builderFactory) in new (string, Func<int, IChannelBuilder>)[]
        {
            ("itemcf", t => new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions { BuildThreads = t })),
            ("swing", t => new NeighbourhoodBuilder<SwingOptions>(new SwingOptions { BuildThreads = t, MaxUsersPerItem = 8 })),
            ("usercf", t => new NeighbourhoodBuilder<UserCFOptions>(new UserCFOptions { BuildThreads = t, MaxUsersPerItem = 8 })),
        })
        {
            var one = await builderFactory(1).BuildAsync(TestData.Context(channel, data, store), default);
            var two = await builderFactory(2).BuildAsync(TestData.Context(channel, data, store), default);
            Assert.NotEqual(one.Manifest.Version, two.Manifest.Version);
            foreach (var file in new[] { CfArtifact.NeighboursFile, CfArtifact.HistoryFile })
            {
                Assert.Equal(File.ReadAllBytes(one.PathOf(file)), File.ReadAllBytes(two.PathOf(file)));
            }
        }
    }

    [Fact]
    public async Task BuildsReportProgressFromTheMatrixToThePublishedVersion()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var data = TestData.Random(1500, 300, 10, seed: 12);
        var reports = new List<BuildProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var handle = await new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions { BuildThreads = 2 })
            .BuildAsync(TestData.Context("itemcf", data, store) with { Progress = progress }, default);

        var items = data.Select(e => e.ItemId).Distinct().Count();
        Assert.StartsWith(FormattableString.Invariant($"user-item matrix: 1,500 users, {items:N0} items, "), reports[0].Status, StringComparison.Ordinal);
        var similarity = reports.Where(r => r.Status.StartsWith("similarity: ", StringComparison.Ordinal)).ToList();
        Assert.True(similarity.Count >= 1);
        Assert.Equal(similarity.Select(r => r.Fraction).Order(), similarity.Select(r => r.Fraction));
        Assert.Equal(FormattableString.Invariant($"similarity: {items:N0}/{items:N0} rows"), similarity[^1].Status);
        Assert.Equal($"published itemcf/{handle.Manifest.Version}", reports[^1].Status);
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.DoesNotContain(reports.Skip(1).SkipLast(1), r => r.Status.Contains("itemcf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelHotSwapsToANewVersion()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var options = new ItemCFOptions();
        var builder = new NeighbourhoodBuilder<ItemCFOptions>(options);
        var channel = new NeighbourhoodChannel<ItemCFOptions>("itemcf", options);
        await Assert.ThrowsAsync<RecFrameworkException>(async () => await channel.RecallAsync(new RecallRequest { UserId = 1, K = 5 }, default));
        var first = await builder.BuildAsync(TestData.Context("itemcf", TestData.Likes((1, 10, 1), (1, 20, 1), (2, 10, 1), (2, 20, 1), (2, 30, 1)), store), default);
        await channel.ActivateAsync(store.Open("itemcf"), default);
        Assert.Equal(first.Manifest.Version, channel.ActiveVersion);
        var before = await channel.RecallAsync(new RecallRequest { UserId = 1, K = 5 }, default);
        Assert.Equal([30L], before.Items.Select(i => i.ItemId));
        Assert.Equal(first.Manifest.Version, before.Version);

        var second = await builder.BuildAsync(TestData.Context("itemcf", TestData.Likes((1, 10, 1), (2, 10, 1), (2, 40, 1)), store), default);
        await channel.ActivateAsync(store.Open("itemcf", second.Manifest.Version), default);
        var after = await channel.RecallAsync(new RecallRequest { UserId = 1, K = 5 }, default);
        Assert.Equal(second.Manifest.Version, after.Version);
        Assert.Equal([40L], after.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task ChannelRejectsAnotherChannelsArtifact()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var data = TestData.Likes((1, 10, 1), (2, 10, 1), (2, 20, 1));
        var handle = await new NeighbourhoodBuilder<UserCFOptions>(new UserCFOptions()).BuildAsync(TestData.Context("usercf", data, store), default);
        var channel = new NeighbourhoodChannel<SwingOptions>("swing", new SwingOptions());
        var ex = await Assert.ThrowsAsync<RecFrameworkException>(async () => await channel.ActivateAsync(handle, default));
        Assert.Contains("usercf", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelScoresWithTheOptionsTheArtifactWasBuiltWith()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var data = TestData.Likes((1, 10, 1), (1, 20, 1), (2, 10, 1), (2, 30, 1), (3, 20, 1), (3, 40, 1));
        var builder = new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions());
        var channel = new NeighbourhoodChannel<ItemCFOptions>("itemcf", new ItemCFOptions { LastN = 50 });
        var request = new RecallRequest { UserId = 9, K = 10, History = [new Interaction(9, 20, InteractionType.Click, 1), new Interaction(9, 10, InteractionType.Click, 2)] };

        await channel.ActivateAsync(await builder.BuildAsync(TestData.Context("itemcf", data, store), default), default);
        var both = await channel.RecallAsync(request, default);
        Assert.Equal([30L, 40L], both.Items.Select(i => i.ItemId).Order());

        await channel.ActivateAsync(await builder.BuildAsync(TestData.Context("itemcf", data, store, parameters: new() { ["LastN"] = "1" }), default), default);
        var newestOnly = await channel.RecallAsync(request, default);
        Assert.Equal([20L, 30L], newestOnly.Items.Select(i => i.ItemId).Order());
    }

    [Fact]
    public async Task RecencyHalfLifeLetsTheNewestHistoryItemOutweighOlderOnes()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        // 30 is a neighbour of the old item 10 only, 40 of the newest item 20 only; 30 co-occurs with 10 more often.
        var data = TestData.Likes((1, 10, 1), (1, 30, 1), (2, 10, 1), (2, 30, 1), (3, 20, 1), (3, 40, 1), (4, 20, 1), (4, 40, 1), (5, 10, 1), (5, 30, 1), (6, 20, 1), (6, 50, 1));
        var builder = new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions { RecencyHalfLife = 0 });
        var channel = new NeighbourhoodChannel<ItemCFOptions>("itemcf", new ItemCFOptions());
        var request = new RecallRequest { UserId = 9, K = 1, History = [new Interaction(9, 10, InteractionType.Click, 1), new Interaction(9, 20, InteractionType.Click, 2)] };

        await channel.ActivateAsync(await builder.BuildAsync(TestData.Context("itemcf", data, store), default), default);
        var alike = await channel.RecallAsync(request, default);
        await channel.ActivateAsync(await builder.BuildAsync(TestData.Context("itemcf", data, store, parameters: new() { ["RecencyHalfLife"] = "0.5" }), default), default);
        var recent = await channel.RecallAsync(request, default);

        Assert.Equal(30L, Assert.Single(alike.Items).ItemId);
        Assert.Equal(40L, Assert.Single(recent.Items).ItemId);
        Assert.Equal(1f, NeighbourhoodRecall.Recency(0, 5));
        Assert.Equal(0.5f, NeighbourhoodRecall.Recency(5, 5), 6);
        Assert.Equal(1f, NeighbourhoodRecall.Recency(7, 0));
        Assert.Equal(7, new ItemCFOptions().RecencyHalfLife);
        Assert.Equal(5, new SwingOptions().RecencyHalfLife);
        Assert.Equal(0, new UserCFOptions().RecencyHalfLife);
    }

    private sealed class SynchronousProgress(Action<BuildProgress> report) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
