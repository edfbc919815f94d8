namespace RecFramework.Channels.ItemCF.Tests;

public sealed class SimilarityTests
{
    // Users 1..3, items 10, 20, 30.
    // u1: 10→1, 20→2;  u2: 10→3, 20→1, 30→1;  u3: 20→1, 30→2
    private static readonly Interaction[] Tiny = TestData.Likes(
        (1, 10, 1), (1, 20, 2), (2, 10, 3), (2, 20, 1), (2, 30, 1), (3, 20, 1), (3, 30, 2));

    [Fact]
    public void ItemCFIsCosineOfLikeVectors()
    {
        var m = TestData.Matrix(Tiny);
        var index = NeighbourIndexBuilder.Build(new ItemCFKernel(m, new ItemCFOptions { PopularityExponent = 0.5 }), m.ItemIds, 10, false, 2, null, "t", default);
        // sim(10,20) = (1·2 + 3·1) / (sqrt(1+9)·sqrt(4+1+1))
        Assert.Equal(5 / (Math.Sqrt(10) * Math.Sqrt(6)), TestData.Sim(index, 10, 20), 5);
        // sim(10,30) = 3·1 / (sqrt(10)·sqrt(1+4))
        Assert.Equal(3 / (Math.Sqrt(10) * Math.Sqrt(5)), TestData.Sim(index, 10, 30), 5);
        // sim(20,30) = (1·1 + 1·2) / (sqrt(6)·sqrt(5))
        Assert.Equal(3 / (Math.Sqrt(6) * Math.Sqrt(5)), TestData.Sim(index, 20, 30), 5);
        Assert.Equal(TestData.Sim(index, 20, 10), TestData.Sim(index, 10, 20), 6);
    }

    [Fact]
    public void ItemCFPopularityExponentPenalisesPopularNeighbours()
    {
        var m = TestData.Matrix(Tiny);
        var index = NeighbourIndexBuilder.Build(new ItemCFKernel(m, new ItemCFOptions { PopularityExponent = 0.6 }), m.ItemIds, 10, false, 1, null, "t", default);
        // ‖10‖² = 10, ‖20‖² = 6: sim(10 → 20) = 5 / (10^0.4 · 6^0.6), sim(20 → 10) = 5 / (6^0.4 · 10^0.6)
        Assert.Equal(5 / (Math.Pow(10, 0.4) * Math.Pow(6, 0.6)), TestData.Sim(index, 10, 20), 5);
        Assert.Equal(5 / (Math.Pow(6, 0.4) * Math.Pow(10, 0.6)), TestData.Sim(index, 20, 10), 5);
    }

    [Fact]
    public void ItemCFInverseUserFrequencyDownWeightsHeavyUsers()
    {
        var m = TestData.Matrix(Tiny);
        var index = NeighbourIndexBuilder.Build(new ItemCFKernel(m, new ItemCFOptions { InverseUserFrequency = true, PopularityExponent = 0.5 }), m.ItemIds, 10, false, 1, null, "t", default);
        // u1 has 2 items, u2 has 3: numerator 1·2/ln 3 + 3·1/ln 4
        var expected = (2 / Math.Log(3) + 3 / Math.Log(4)) / (Math.Sqrt(10) * Math.Sqrt(6));
        Assert.Equal(expected, TestData.Sim(index, 10, 20), 5);
    }

    [Fact]
    public void UserCFUsesPopularityPenaltyOverCommonItems()
    {
        var m = TestData.Matrix(Tiny);
        var index = NeighbourIndexBuilder.Build(new UserCFKernel(m, new UserCFOptions(), 1), m.UserIds, 10, false, 2, null, "t", default);
        // u1 = {10, 20}, u2 = {10, 20, 30}; n_10 = 2, n_20 = 3
        Assert.Equal((1 / Math.Log(3) + 1 / Math.Log(4)) / Math.Sqrt(2 * 3), TestData.Sim(index, 1, 2), 5);
        // u2 ∩ u3 = {20, 30}; n_30 = 2
        Assert.Equal((1 / Math.Log(4) + 1 / Math.Log(3)) / Math.Sqrt(3 * 2), TestData.Sim(index, 2, 3), 5);
        var plain = NeighbourIndexBuilder.Build(new UserCFKernel(m, new UserCFOptions { PopularityPenalty = false }, 1), m.UserIds, 10, false, 2, null, "t", default);
        Assert.Equal(1 / Math.Sqrt(2 * 2), TestData.Sim(plain, 1, 3), 5);
    }

    [Fact]
    public void SwingSumsOverUserPairsWithOverlapSmoothing()
    {
        var m = TestData.Matrix(Tiny);
        var plain = NeighbourIndexBuilder.Build(new SwingKernel(m, new SwingOptions { UserWeight = false, Alpha = 1 }, 1), m.ItemIds, 10, false, 2, null, "t", default);
        // Users of both 20 and 30: u2, u3 → one pair, overlap(u2,u3) = |{20,30}| = 2 → 1/(1+2)
        Assert.Equal(1 / 3.0, TestData.Sim(plain, 20, 30), 5);
        // Items 10 and 20: users u1, u2, overlap = 2 → 1/3
        Assert.Equal(1 / 3.0, TestData.Sim(plain, 10, 20), 5);
        // Items 10 and 30: only u2 liked both → no pair → 0
        Assert.Equal(0, TestData.Sim(plain, 10, 30));
        var weighted = NeighbourIndexBuilder.Build(new SwingKernel(m, new SwingOptions { UserWeight = true, Alpha = 0.5 }, 1), m.ItemIds, 10, false, 2, null, "t", default);
        // w(u2)·w(u3) = 1/sqrt(3)·1/sqrt(2), overlap 2, alpha 0.5
        Assert.Equal(1 / (Math.Sqrt(3) * Math.Sqrt(2)) / 2.5, TestData.Sim(weighted, 20, 30), 5);
    }

    [Fact]
    public void SwingDownWeightsASmallCircle()
    {
        // u1 and u2 form a small circle: they share items 10, 20 and five more. u3 and u4 share only 10 and 30.
        // Each pair of items has exactly one user pair; ItemCF-style counting would tie them, Swing must not.
        var likes = new List<(long, long, float)>();
        foreach (var u in new long[] { 1, 2 })
        {
            likes.Add((u, 10, 1));
            likes.Add((u, 20, 1));
            for (var extra = 0; extra < 5; extra++)
            {
                likes.Add((u, 100 + extra, 1));
            }
        }

        foreach (var u in new long[] { 3, 4 })
        {
            likes.Add((u, 10, 1));
            likes.Add((u, 30, 1));
        }

        var m = TestData.Matrix(TestData.Likes([.. likes]), new SwingOptions());
        var index = NeighbourIndexBuilder.Build(new SwingKernel(m, new SwingOptions { UserWeight = false, Alpha = 1 }, 1), m.ItemIds, 10, false, 1, null, "t", default);
        Assert.Equal(1 / (1.0 + 7), TestData.Sim(index, 10, 20), 5);
        Assert.Equal(1 / (1.0 + 2), TestData.Sim(index, 10, 30), 5);
        var r = index.RowOf(10);
        Assert.Equal(30, index.ColumnIds[index.ColumnsOf(r)[0]]);
    }

    [Fact]
    public void LikeModelCombinesTypeWeightEventWeightAndDecay()
    {
        var model = new LikeModel(new ItemCFOptions { ShareWeight = 4, TimeDecayHalfLifeDays = 1 });
        var share = new Interaction(1, 2, InteractionType.Share, 0, 2.5f);
        Assert.Equal(10f, model.Like(share, 0), 4);
        Assert.Equal(5f, model.Like(share, 86_400), 4);
        Assert.Equal(0f, model.Like(share with { Type = InteractionType.Impression }, 0));
        var unweighted = new LikeModel(new ItemCFOptions { UseEventWeight = false });
        Assert.Equal(1f, unweighted.Like(new Interaction(1, 2, InteractionType.Click, 0, 5f), 0));
    }

    [Fact]
    public void MatrixSumsDuplicateEventsAndKeepsNewestHistory()
    {
        var events = new[]
        {
            new Interaction(1, 10, InteractionType.Click, 100, 1),
            new Interaction(1, 20, InteractionType.Click, 300, 1),
            new Interaction(1, 10, InteractionType.Like, 200, 1),
            new Interaction(1, 30, InteractionType.Click, 400, 1),
            new Interaction(1, 40, InteractionType.Impression, 500, 1),
        };
        var m = TestData.Matrix(events, new ItemCFOptions { MaxHistoryPerUser = 2 });
        Assert.Equal(3, m.ItemCount); // impressions are not positive: item 40 is unknown
        Assert.Equal([Array.BinarySearch(m.ItemIds, 30L), Array.BinarySearch(m.ItemIds, 20L)], m.UserItems);
        var all = TestData.Matrix(events);
        var p10 = Array.IndexOf(all.UserItems, Array.BinarySearch(all.ItemIds, 10L));
        Assert.Equal(3f, all.UserLikes[p10]); // click 1 + like 2
    }
}
