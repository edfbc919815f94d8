using RecFramework.Experiments.Interleaving;

namespace RecFramework.Experiments.Tests.Interleaving;

/// <summary>Properties of team-draft interleaving and multileaving over seeded random rankings.</summary>
public sealed class TeamDraftTests
{
    [Fact]
    public void EveryItemAppearsOnceAndEachTeamPlacesItsBestRemainingItemsInItsOwnOrder()
    {
        var rng = new Random(11);
        for (var c = 0; c < 2_000; c++)
        {
            var teams = 2 + rng.Next(4);
            var rankings = Rankings(rng, teams, overlap: rng.NextDouble());
            var k = 1 + rng.Next(40);
            var merged = TeamDraft.Merge(rankings, k, (ulong)rng.NextInt64());

            Assert.Equal(merged.Items.Count, merged.Items.Distinct().Count());
            Assert.Equal(merged.Items.Count, merged.Teams.Count);
            Assert.Equal(Math.Min(k, rankings.SelectMany(r => r).Distinct().Count()), merged.Items.Count);
            var taken = new HashSet<long>();
            for (var i = 0; i < merged.Items.Count; i++)
            {
                // The placing team's highest-ranked item not yet in the list: its picks follow its own order.
                var team = merged.Teams[i];
                Assert.Equal(rankings[team].First(item => !taken.Contains(item)), merged.Items[i]);
                taken.Add(merged.Items[i]);
            }
        }
    }

    [Fact]
    public void TeamSizesDifferByAtMostOneAtEveryPositionWhileNoTeamIsUsedUp()
    {
        var rng = new Random(12);
        for (var c = 0; c < 2_000; c++)
        {
            var teams = 2 + rng.Next(4);
            var rankings = Rankings(rng, teams, overlap: rng.NextDouble(), length: 60);
            var merged = TeamDraft.Merge(rankings, 30, (ulong)rng.NextInt64());
            var sizes = new int[teams];
            for (var i = 0; i < merged.Items.Count; i++)
            {
                sizes[merged.Teams[i]]++;
                Assert.True(sizes.Max() - sizes.Min() <= 1, $"case {c}: sizes {string.Join(",", sizes)} at position {i}");
            }
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameListAndEachTeamPicksFirstAboutEqually()
    {
        var rankings = new IReadOnlyList<long>[] { [1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [7, 1, 8, 2] };
        var seed = TeamDraft.Seed(42, "req-1");
        Assert.Equal(seed, TeamDraft.Seed(42, "req-1"));
        Assert.NotEqual(seed, TeamDraft.Seed(42, "req-2"));
        Assert.NotEqual(seed, TeamDraft.Seed(43, "req-1"));
        var first = TeamDraft.Merge(rankings, 6, seed);
        var again = TeamDraft.Merge(rankings, 6, seed);
        Assert.Equal(first.Items, again.Items);
        Assert.Equal(first.Teams, again.Teams);

        // Who picks first is a fair draw: chi-square over three teams, 3 000 seeded requests, 2 df (p = 0.001: 13.8).
        var counts = new double[3];
        for (var r = 0; r < 3_000; r++)
        {
            counts[TeamDraft.Merge(rankings, 1, TeamDraft.Seed(r, "x")).Teams[0]]++;
        }

        var chi = counts.Sum(o => (o - 1_000) * (o - 1_000) / 1_000);
        Assert.True(chi < 13.8, $"first picks {string.Join(", ", counts)}: chi-square {chi:F2}");
    }

    [Fact]
    public void MergingIsDeterministicForManySeeds()
    {
        var rng = new Random(13);
        var rankings = new IReadOnlyList<long>[] { [1, 2, 3, 4, 5, 6, 7, 8], [8, 9, 10, 1, 2] };
        var lists = new HashSet<string>();
        for (var c = 0; c < 500; c++)
        {
            var seed = (ulong)rng.NextInt64();
            var a = TeamDraft.Merge(rankings, 8, seed);
            var b = TeamDraft.Merge(rankings, 8, seed);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(a.Teams, b.Teams);
            lists.Add(string.Join(",", a.Teams));
        }

        Assert.True(lists.Count > 4, "the seed changes the coin flips");
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => TeamDraft.Merge([], 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TeamDraft.Merge([[1L]], -1, 1));
    }

    private static IReadOnlyList<long>[] Rankings(Random rng, int teams, double overlap, int? length = null)
    {
        var shared = Enumerable.Range(0, 50).Select(i => (long)i).ToArray();
        var result = new IReadOnlyList<long>[teams];
        for (var t = 0; t < teams; t++)
        {
            var n = length ?? rng.Next(0, 30);
            var items = new List<long>();
            while (items.Count < n)
            {
                var item = rng.NextDouble() < overlap ? shared[rng.Next(shared.Length)] : 1_000 * (t + 1) + rng.Next(10_000);
                if (!items.Contains(item))
                {
                    items.Add(item);
                }
            }

            result[t] = items;
        }

        return result;
    }
}
