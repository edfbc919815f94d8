using RecFramework.Data;

namespace RecFramework.Tests.Data;

public sealed class ShuffledTimestampsTests
{
    private static InteractionDataset Log()
    {
        var events = new List<Interaction>();
        for (var user = 1; user <= 20; user++)
        {
            for (var i = 0; i < 30; i++)
            {
                events.Add(new Interaction(user, (user * 7 + i) % 50, InteractionType.Click, 1_000 * user + i));
            }
        }

        return new InteractionDataset("log", events.ToArray());
    }

    [Fact]
    public void PermutesTimestampsWithinEachUserOnly()
    {
        var data = Log();
        var shuffled = data.WithShuffledTimestamps(seed: 7);

        Assert.Equal("log-shuffled-time-7", shuffled.Name);
        Assert.Equal(data.Interactions.Length, shuffled.Interactions.Length);
        var moved = 0;
        for (var i = 0; i < data.Interactions.Length; i++)
        {
            var (before, after) = (data.Interactions[i], shuffled.Interactions[i]);
            Assert.Equal((before.UserId, before.ItemId, before.Type), (after.UserId, after.ItemId, after.Type));
            moved += before.Timestamp != after.Timestamp ? 1 : 0;
        }

        Assert.True(moved > data.Interactions.Length / 2, $"only {moved} events changed time");
        foreach (var user in data.Interactions.Select(e => e.UserId).Distinct())
        {
            Assert.Equal(
                data.Interactions.Where(e => e.UserId == user).Select(e => e.Timestamp).Order(),
                shuffled.Interactions.Where(e => e.UserId == user).Select(e => e.Timestamp).Order());
        }

        Assert.Equal(1_000, data.Interactions[0].Timestamp); // the source is not changed
    }

    [Fact]
    public void SameSeedSameCopyOtherSeedOtherCopy()
    {
        var data = Log();
        Assert.Equal(data.WithShuffledTimestamps(3).Interactions, data.WithShuffledTimestamps(3).Interactions);
        Assert.NotEqual(data.WithShuffledTimestamps(3).Interactions, data.WithShuffledTimestamps(4).Interactions);
    }
}
