namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>The online scoring rules on hand-made artifacts.</summary>
public sealed class OnlineRecallTests
{
    [Fact]
    public void ItemCFScoresCandidateOverAllLastNItems()
    {
        // Course example: likes [2, 1, 4, 3] for items 1..4, sim(candidate 9, ·) = [0.1, 0.4, 0.2, 0.6] → 3.2.
        // Item 8 is only in item 1's list: 2 · 0.5 = 1.0.
        var itemIds = new long[] { 1, 2, 3, 4, 8, 9 };
        var neighbours = CsrMatrix.FromRows(itemIds, itemIds,
            [[5, 4], [5], [5], [5], null, null],
            [[0.1f, 0.5f], [0.4f], [0.2f], [0.6f], null, null]);
        var history = CsrMatrix.FromRows([77L], itemIds, [[3, 2, 1, 0]], [[3f, 4f, 1f, 2f]]);
        var artifact = new CfArtifact("v0007", neighbours, history, userNeighbours: false, new ItemCFOptions());
        var result = NeighbourhoodRecall.RecallByItems(artifact, new RecallRequest { UserId = 77, K = 10 }, new ItemCFOptions { RecencyHalfLife = 0 }, new LikeModel(new ItemCFOptions()));
        Assert.Equal("v0007", result.Version);
        Assert.Equal([9L, 8L], result.Items.Select(i => i.ItemId));
        Assert.Equal(3.2f, result.Items[0].Score, 5);
        Assert.Equal(1.0f, result.Items[1].Score, 5);
    }

    [Fact]
    public void RequestParametersLowerLastNAndNeighbours()
    {
        var itemIds = new long[] { 1, 2, 3, 4, 8, 9 };
        var neighbours = CsrMatrix.FromRows(itemIds, itemIds,
            [[5, 4], [5], [5], [5], null, null],
            [[0.1f, 0.5f], [0.4f], [0.2f], [0.6f], null, null]);
        var history = CsrMatrix.FromRows([77L], itemIds, [[3, 2, 1, 0]], [[3f, 4f, 1f, 2f]]);
        var artifact = new CfArtifact("v1", neighbours, history, userNeighbours: false, new ItemCFOptions());
        var options = new ItemCFOptions { RecencyHalfLife = 0 }; // the plain sum (recency weighting: ArtifactTests)
        RecallResult Run(string key, string value) => NeighbourhoodRecall.RecallByItems(artifact,
            new RecallRequest { UserId = 77, K = 10, Parameters = new Dictionary<string, string> { [key] = value } }, options, new LikeModel(options));
        var newest = Run("last_n", "1");
        Assert.Equal(9L, Assert.Single(newest.Items).ItemId);
        Assert.Equal(3 * 0.6f, newest.Items[0].Score, 5);
        var firstNeighbourOnly = Run("neighbours", "1");
        Assert.Equal(9L, Assert.Single(firstNeighbourOnly.Items).ItemId);
        Assert.Equal(3.2f, firstNeighbourOnly.Items[0].Score, 5);
        var ex = Assert.Throws<RecFrameworkException>(() => Run("last_n", "many"));
        Assert.Contains("last_n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemCFPrefersRequestHistoryAndHonoursExclude()
    {
        var itemIds = new long[] { 1, 2, 3, 4, 8, 9 };
        var neighbours = CsrMatrix.FromRows(itemIds, itemIds,
            [[5, 4, 1], [5], [5], [5], null, null],
            [[0.1f, 0.5f, 0.3f], [0.4f], [0.2f], [0.6f], null, null]);
        var history = CsrMatrix.FromRows([77L], itemIds, [[3]], [[1f]]);
        var artifact = new CfArtifact("v1", neighbours, history, userNeighbours: false, new ItemCFOptions());
        var options = new ItemCFOptions { UseEventWeight = true };
        var request = new RecallRequest
        {
            UserId = 77,
            K = 10,
            History = [new Interaction(77, 1, InteractionType.Click, 10, 2), new Interaction(77, 1, InteractionType.Click, 20, 1), new Interaction(77, 999, InteractionType.Click, 30, 5)],
            Exclude = new HashSet<long> { 9 },
        };
        var result = NeighbourhoodRecall.RecallByItems(artifact, request, options, new LikeModel(options));
        // Item 1 liked 2 + 1 = 3 (duplicates sum, unknown item 999 ignored); 9 excluded; 8 = 3·0.5, 2 = 3·0.3.
        Assert.Equal([8L, 2L], result.Items.Select(i => i.ItemId));
        Assert.Equal(1.5f, result.Items[0].Score, 5);
        Assert.Equal(0.9f, result.Items[1].Score, 5);
        var noExcludeHistory = new ItemCFOptions { ExcludeHistoryItems = true, LastN = 1 };
        var limited = NeighbourhoodRecall.RecallByItems(artifact, request with { History = [new Interaction(77, 2, InteractionType.Click, 5), new Interaction(77, 1, InteractionType.Click, 9)] }, noExcludeHistory, new LikeModel(noExcludeHistory));
        // LastN = 1 keeps only the newest item (1): item 2 is not history any more, so it can be recalled.
        Assert.Contains(limited.Items, i => i.ItemId == 2);
    }

    [Fact]
    public void HistoryItemsAreLeftOutOnlyWhenAskedEvenWhenTheyAreEachOthersNeighbours()
    {
        // Items 1 and 2 are both history and each other's neighbours; 8 and 9 are not history.
        var itemIds = new long[] { 1, 2, 8, 9 };
        var neighbours = CsrMatrix.FromRows(itemIds, itemIds,
            [[1, 2], [0, 3], null, null],
            [[0.9f, 0.2f], [0.8f, 0.1f], null, null]);
        var history = CsrMatrix.FromRows([77L], itemIds, [[0, 1]], [[1f, 1f]]);
        var artifact = new CfArtifact("v1", neighbours, history, userNeighbours: false, new ItemCFOptions());
        RecallResult Run(bool exclude, int k)
        {
            var options = new ItemCFOptions { ExcludeHistoryItems = exclude, RecencyHalfLife = 0 };
            return NeighbourhoodRecall.RecallByItems(artifact, new RecallRequest { UserId = 77, K = k }, options, new LikeModel(options));
        }

        Assert.Equal([8L, 9L], Run(exclude: true, k: 10).Items.Select(i => i.ItemId));
        Assert.Equal([2L, 1L, 8L, 9L], Run(exclude: false, k: 10).Items.Select(i => i.ItemId));
        // The history items took no place in the top 1.
        Assert.Equal(8L, Assert.Single(Run(exclude: true, k: 1).Items).ItemId);

        // User-based: user 1's only similar user 2 liked items 50 (also user 1's), 60 and 70.
        var users = new long[] { 1, 2 };
        var items = new long[] { 50, 60, 70 };
        var similar = CsrMatrix.FromRows(users, users, [[1], null], [[0.5f], null]);
        var liked = CsrMatrix.FromRows(users, items, [[0], [0, 1, 2]], [[1f], [4f, 2f, 1f]]);
        var byUsers = new CfArtifact("v2", similar, liked, userNeighbours: true, new UserCFOptions());
        RecallResult RunUsers(bool exclude, int k)
        {
            var options = new UserCFOptions { ExcludeHistoryItems = exclude };
            return NeighbourhoodRecall.RecallByUsers(byUsers, new RecallRequest { UserId = 1, K = k }, options, new LikeModel(options));
        }

        Assert.Equal([60L, 70L], RunUsers(exclude: true, k: 10).Items.Select(i => i.ItemId));
        Assert.Equal([50L, 60L, 70L], RunUsers(exclude: false, k: 10).Items.Select(i => i.ItemId));
        Assert.Equal(60L, Assert.Single(RunUsers(exclude: true, k: 1).Items).ItemId);
    }

    [Fact]
    public void UserCFScoresBySimilarUsersLikes()
    {
        // Course example: sims to four neighbours [0.9, 0.5, 0.5, 0.3], their likes of item 50 [0, 4, 2, 0] → 3.
        var userIds = new long[] { 1, 2, 3, 4, 5 };
        var itemIds = new long[] { 50, 60 };
        var neighbours = CsrMatrix.FromRows(userIds, userIds,
            [[1, 2, 3, 4], null, null, null, null],
            [[0.9f, 0.5f, 0.5f, 0.3f], null, null, null, null]);
        var history = CsrMatrix.FromRows(userIds, itemIds,
            [null, [1], [0], [0], [1]],
            [null, [1f], [4f], [2f], [5f]]);
        var artifact = new CfArtifact("v2", neighbours, history, userNeighbours: true, new UserCFOptions());
        var options = new UserCFOptions();
        var result = NeighbourhoodRecall.RecallByUsers(artifact, new RecallRequest { UserId = 1, K = 5 }, options, new LikeModel(options));
        Assert.Equal([50L, 60L], result.Items.Select(i => i.ItemId));
        Assert.Equal(3f, result.Items[0].Score, 5);
        Assert.Equal(0.9f * 1 + 0.3f * 5, result.Items[1].Score, 5);
        var top1 = NeighbourhoodRecall.RecallByUsers(artifact, new RecallRequest { UserId = 1, K = 1 }, options, new LikeModel(options));
        Assert.Single(top1.Items);
        var unknown = NeighbourhoodRecall.RecallByUsers(artifact, new RecallRequest { UserId = 42, K = 5 }, options, new LikeModel(options));
        Assert.Empty(unknown.Items);
        Assert.Equal("v2", unknown.Version);
    }

    [Fact]
    public void TopKHeapReturnsBestFirstWithIdTieBreak()
    {
        var rng = new Random(5);
        var heap = new TopKHeap(4);
        for (var round = 0; round < 50; round++)
        {
            var n = rng.Next(0, 40);
            var k = rng.Next(0, 10);
            var items = Enumerable.Range(0, n).Select(i => (id: i, score: (float)rng.Next(0, 6))).ToArray();
            heap.Reset(k);
            foreach (var (id, score) in items)
            {
                heap.Offer(id, score);
            }

            var ids = new int[heap.Count];
            var scores = new float[heap.Count];
            heap.Drain(ids, scores);
            var expected = items.OrderByDescending(x => x.score).ThenBy(x => x.id).Take(k).ToArray();
            Assert.Equal(expected.Select(x => x.id), ids);
            Assert.Equal(expected.Select(x => x.score), scores);
        }
    }
}
