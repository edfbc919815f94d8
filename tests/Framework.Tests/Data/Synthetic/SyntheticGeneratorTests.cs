using RecFramework.Data;
using RecFramework.Data.Synthetic;

namespace RecFramework.Tests.Data.Synthetic;

public sealed class SyntheticGeneratorTests
{
    private static readonly SyntheticOptions Small = new() { Users = 400, Items = 300, Clusters = 10, Interactions = 30_000, Days = 10, Seed = 7 };

    [Fact]
    public void SameSeedGivesByteIdenticalFilesAndOtherSeedsDiffer()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var c = new TempDirectory();

        SyntheticGenerator.Write(SyntheticGenerator.Generate(Small), a.Path);
        SyntheticGenerator.Write(SyntheticGenerator.Generate(Small), b.Path);
        SyntheticGenerator.Write(SyntheticGenerator.Generate(Small with { Seed = 8 }), c.Path);

        foreach (var file in new[] { "interactions.csv", "users.csv", "items.csv", "synthetic.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, file)), File.ReadAllBytes(Path.Combine(b.Path, file)));
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Path, file)), File.ReadAllBytes(Path.Combine(c.Path, file)));
        }
    }

    [Fact]
    public void ProducesExactlyTheRequestedEventsWithinTheTimeSpan()
    {
        var data = SyntheticGenerator.Generate(Small).Dataset;

        Assert.Equal(Small.Interactions, data.Interactions.Length);
        var (min, max) = data.TimeRange;
        Assert.InRange(min, Small.StartTime, Small.StartTime + 86_400);
        Assert.InRange(max, Small.StartTime + ((Small.Days - 1) * 86_400L), Small.StartTime + (Small.Days * 86_400L) + 700);
        Assert.All(data.Interactions, e =>
        {
            Assert.InRange(e.UserId, 1, Small.Users);
            Assert.InRange(e.ItemId, 1, Small.Items);
        });
        Assert.Contains(data.Interactions, e => e.Type == InteractionType.Impression);
        Assert.Contains(data.Interactions, e => e.Type == InteractionType.Click);
        Assert.Contains(data.Interactions, e => e.Type > InteractionType.Click);
        Assert.DoesNotContain(SyntheticGenerator.Generate(Small with { IncludeImpressions = false }).Dataset.Interactions, e => e.Type == InteractionType.Impression);
    }

    [Fact]
    public void UsersClickTheirOwnClusterFarMoreThanChance()
    {
        var data = SyntheticGenerator.Generate(Small);
        var clicks = data.Dataset.Interactions.Where(e => e.Type == InteractionType.Click).ToArray();
        var primary = clicks.Count(e => data.Truth.ItemCluster(e.ItemId) == data.Truth.UserClusters(e.UserId).Primary);
        var share = (double)primary / clicks.Length;

        // Chance is about 1 / 10 clusters; the planted model puts most clicks in the primary cluster. With ~8k clicks
        // the standard error of a share is < 0.006, so 0.5 is many standard errors away from chance.
        Assert.True(clicks.Length > 5_000, $"only {clicks.Length} clicks");
        Assert.True(share > 0.5, $"primary-cluster click share {share:F3}");

        // Click-through rate is much higher inside the primary cluster than outside the user's two clusters.
        var impressions = data.Dataset.Interactions.Where(e => e.Type == InteractionType.Impression).ToArray();
        double Ctr(Func<Interaction, bool> which) => (double)clicks.Count(which) / impressions.Count(which);
        bool InPrimary(Interaction e) => data.Truth.ItemCluster(e.ItemId) == data.Truth.UserClusters(e.UserId).Primary;
        bool Outside(Interaction e)
        {
            var (p, s) = data.Truth.UserClusters(e.UserId);
            var c = data.Truth.ItemCluster(e.ItemId);
            return c != p && c != s;
        }

        Assert.True(Ctr(InPrimary) > 4 * Ctr(Outside), $"CTR primary {Ctr(InPrimary):F3} vs outside {Ctr(Outside):F3}");
    }

    [Fact]
    public void ItemExposureIsHeavyTailed()
    {
        var data = SyntheticGenerator.Generate(Small);
        var counts = data.Dataset.Interactions.Where(e => e.Type == InteractionType.Impression)
            .GroupBy(e => e.ItemId).Select(g => g.Count()).OrderDescending().ToArray();
        var top = counts.Take(Small.Items / 10).Sum();

        // Uniform exposure would give the top 10 % of items about 10 % of impressions (a bit more from sampling noise).
        Assert.True(top > 0.35 * counts.Sum(), $"top 10% of items got {(double)top / counts.Sum():P1} of impressions");
    }

    [Fact]
    public void ProfileFeaturesFollowTheClusters()
    {
        var data = SyntheticGenerator.Generate(Small);
        var users = data.Dataset.Users;
        var items = data.Dataset.Items;
        var region = users.Schema.IndexOf("region");
        var category = items.Schema.IndexOf("category");

        var regionMatches = users.All.Count(p => p.Single(region) == $"r{data.Truth.UserClusters(p.Id).Primary % 10}");
        var categoryMatches = items.All.Count(p => p.Single(category) == $"c{data.Truth.ItemCluster(p.Id)}");

        // Expected about (1 − 0.2) + 0.2 / 10 = 0.82 for both; chance is 0.1.
        Assert.Equal(Small.Users, users.Count);
        Assert.Equal(Small.Items, items.Count);
        Assert.InRange((double)regionMatches / users.Count, 0.72, 0.92);
        Assert.InRange((double)categoryMatches / items.Count, 0.72, 0.92);
        Assert.Equal(FeatureKind.MultiCategorical, items.Schema.Fields[items.Schema.IndexOf("tags")].Kind);
        Assert.Equal(FeatureKind.Continuous, users.Schema.Fields[users.Schema.IndexOf("age")].Kind);
    }

    [Fact]
    public void WrittenFilesLoadBackAndTheTruthIsRebuiltFromSyntheticJson()
    {
        using var dir = new TempDirectory();
        var data = SyntheticGenerator.Generate(Small);
        SyntheticGenerator.Write(data, dir.Path);

        var loaded = DatasetLoader.Load(dir.Path);
        var truth = SyntheticGenerator.LoadTruth(dir.Path);

        Assert.Equal(data.Dataset.Interactions, loaded.Interactions);
        Assert.Equal(data.Dataset.Users.Schema.Fields, loaded.Users.Schema.Fields);
        Assert.Equal(data.Dataset.Items.Schema.Fields, loaded.Items.Schema.Fields);
        foreach (var original in data.Dataset.Items.All.Take(50))
        {
            Assert.True(loaded.Items.TryGet(original.Id, out var copy));
            Assert.Equal(original.Values, copy.Values);
        }

        foreach (var original in data.Dataset.Users.All.Take(50))
        {
            Assert.True(loaded.Users.TryGet(original.Id, out var copy));
            Assert.Equal(original.Values, copy.Values);
        }

        Assert.Equal(Small, truth.Options);
        for (long u = 1; u <= Small.Users; u += 37)
        {
            for (long i = 1; i <= Small.Items; i += 29)
            {
                Assert.Equal(data.Truth.ClickProbability(u, i), truth.ClickProbability(u, i));
            }
        }
    }

    [Fact]
    public void ClickProbabilityRejectsUnknownIds()
    {
        var truth = GroundTruthModel.Create(Small);

        Assert.Contains("User 0", Assert.Throws<RecFrameworkException>(() => truth.ClickProbability(0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("Item 301", Assert.Throws<RecFrameworkException>(() => truth.ClickProbability(1, 301)).Message, StringComparison.Ordinal);
        Assert.InRange(truth.ClickProbability(1, 1), 0, 1);
    }

    [Theory]
    [InlineData(0, 10, 5, "Users")]
    [InlineData(10, 5, 6, "Clusters")]
    [InlineData(10, 10, 0, "Clusters")]
    public void InvalidOptionsNameTheOption(int users, int items, int clusters, string name)
    {
        var ex = Assert.Throws<RecFrameworkException>(() => SyntheticGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Clusters = clusters }));

        Assert.Equal(RecError.InvalidArgument, ex.Error);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }
}
