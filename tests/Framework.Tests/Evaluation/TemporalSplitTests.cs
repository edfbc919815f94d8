using RecFramework.Data;
using RecFramework.Evaluation;

namespace RecFramework.Tests.Evaluation;

public sealed class TemporalSplitTests
{
    private static Interaction Click(long user, long item, long time) => new(user, item, InteractionType.Click, time);

    [Fact]
    public void HoldsOutTheLatestFifthPerUserAtLeastOne()
    {
        var events = new List<Interaction>();
        // User 1: ten clicks on items 1..10 given in reverse time order → the two latest (items 9, 10) are test.
        for (var i = 10; i >= 1; i--)
        {
            events.Add(Click(1, i, i * 10));
        }

        // User 2: three clicks → floor(0.6) = 0, at least one → the latest (item 3) is test.
        events.Add(Click(2, 3, 30));
        events.Add(Click(2, 1, 10));
        events.Add(Click(2, 2, 20));
        // User 3: a single click stays in train.
        events.Add(Click(3, 5, 1));
        // User 4 was shown items 9 and 10 (impressions), which makes them train items.
        events.Add(new Interaction(4, 9, InteractionType.Impression, 1));
        events.Add(new Interaction(4, 10, InteractionType.Impression, 1));

        var split = TemporalSplit.Split(new InteractionDataset("t", events.ToArray()));

        Assert.Equal([1L, 2], split.Test.Keys.Order());
        Assert.Equal([9L, 10], split.Test[1]);
        Assert.Equal([3L], split.Test[2]);
        Assert.Equal(events.Count - 3, split.Train.Interactions.Length);
        Assert.DoesNotContain(split.Train.Interactions, e => e.UserId == 1 && e.ItemId >= 9);
        Assert.Contains(split.Train.Interactions, e => e.UserId == 3);
        Assert.Equal(10, split.TrainItemCount);
        Assert.Equal("per-user temporal holdout 20%", split.Protocol);
    }

    [Fact]
    public void BreaksTimestampTiesByOriginalOrder()
    {
        var events = new[] { Click(1, 1, 5), Click(1, 2, 5), Click(1, 3, 5), Click(9, 3, 1), Click(9, 2, 1), Click(9, 1, 1) };

        var split = TemporalSplit.Split(new InteractionDataset("t", events));

        Assert.Equal([3L], split.Test[1]);
        Assert.Equal([1L], split.Test[9]);
    }

    [Fact]
    public void ImpressionsStayInTrainAndDoNotCountAsPositives()
    {
        var events = new[]
        {
            Click(1, 1, 1), new Interaction(1, 2, InteractionType.Impression, 9), Click(1, 3, 2),
            new Interaction(2, 1, InteractionType.Impression, 1), new Interaction(2, 3, InteractionType.Impression, 2), Click(2, 1, 3),
        };

        var split = TemporalSplit.Split(new InteractionDataset("t", events));

        Assert.Equal([3L], split.Test[1]);
        Assert.False(split.Test.ContainsKey(2)); // one positive only
        Assert.Equal(3, split.Train.Interactions.Count(e => e.Type == InteractionType.Impression));
        Assert.Equal(5, split.Train.Interactions.Length);
    }

    [Fact]
    public void AnItemOnlyImpressedInTrainCanBeATestItem()
    {
        // The usual log shape: an impression, then a click on the same item a moment later.
        var events = new[]
        {
            new Interaction(1, 1, InteractionType.Impression, 1), Click(1, 1, 2),
            new Interaction(1, 2, InteractionType.Impression, 3), Click(1, 2, 4),
        };

        var split = TemporalSplit.Split(new InteractionDataset("t", events));

        Assert.Equal([2L], split.Test[1]);
        Assert.Contains(split.Train.Interactions, e => e is { ItemId: 2, Type: InteractionType.Impression });
    }

    [Fact]
    public void TestItemsAreTrainItemsTheUserHasNotSeenInTrain()
    {
        var events = new[]
        {
            // User 1: item 7 is only ever seen in user 1's test part → dropped (not a train item).
            Click(1, 1, 1), Click(1, 2, 2), Click(1, 3, 3), Click(1, 4, 4), Click(1, 7, 5),
            // User 2: re-clicks item 1 at the end → already in train → dropped; user 2 has no test items left.
            Click(2, 1, 1), Click(2, 2, 2), Click(2, 1, 3),
            // User 3: a held-out item that user 1 has in train counts.
            Click(3, 4, 1), Click(3, 1, 2),
        };

        var split = TemporalSplit.Split(new InteractionDataset("t", events));

        Assert.False(split.Test.ContainsKey(1));
        Assert.False(split.Test.ContainsKey(2));
        Assert.Equal([1L], split.Test[3]);
        Assert.DoesNotContain(split.Train.Interactions, e => e.ItemId == 7);
        Assert.Equal(4, split.TrainItemCount);
    }

    [Fact]
    public void ValidationSplitsTheTrainPartAgainAndNeverSeesTheTestPart()
    {
        // User 1: 10 clicks on items 1..10 → test 9, 10; of the remaining 8, validation holds out the latest (8).
        // User 2: clicks 1, 2, 3 → test 3; validation holds out 2 of the train part {1, 2}.
        // User 3 clicked 8 early, so item 8 stays a train item of the inner split.
        var events = Enumerable.Range(1, 10).Select(i => Click(1, i, i))
            .Concat([Click(2, 1, 1), Click(2, 2, 2), Click(2, 3, 3), Click(3, 8, 1), Click(3, 5, 2), Click(3, 6, 3)])
            .ToArray();
        var data = new InteractionDataset("t", events);

        var outer = TemporalSplit.Split(data);
        var validation = TemporalSplit.SplitForValidation(data);

        Assert.True(validation.Validation);
        Assert.Equal([8L], validation.Test[1]);
        Assert.Equal([2L], validation.Test[2]);
        Assert.DoesNotContain(validation.Train.Interactions, e => outer.Test.TryGetValue(e.UserId, out var held) && held.Contains(e.ItemId));
        Assert.DoesNotContain(validation.Train.Interactions, e => validation.Test.TryGetValue(e.UserId, out var held) && held.Contains(e.ItemId));
        Assert.Equal(events.Length - 4 - 3, validation.Train.Interactions.Length); // 4 test events, then 3 validation events
        Assert.Contains(validation.Train.Interactions, e => e is { UserId: 3, ItemId: 8 });
        Assert.Contains("validation", validation.Protocol, StringComparison.Ordinal);
        Assert.DoesNotContain("validation", outer.Protocol, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void RejectsFractionsOutsideTheOpenUnitInterval(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TemporalSplit.Split(new InteractionDataset("t", []), fraction));
}
