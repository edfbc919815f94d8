using System.Globalization;

namespace RecFramework.Data.Synthetic;

/// <summary>
/// Profile features correlated with the latent clusters. Users: <c>gender</c>, <c>age</c>, <c>region</c>,
/// <c>interests</c> (multi); items: <c>category</c>, <c>tags</c> (multi), <c>price</c>. Each value follows the
/// entity's cluster except with probability <see cref="SyntheticOptions.FeatureNoise"/>.
/// </summary>
internal static class SyntheticProfiles
{
    private const long UserFeatureStream = 5, ItemFeatureStream = 6;
    private const int Regions = 10, TagsPerCluster = 5, MinAge = 13, MaxAge = 80;

    public static FeatureSchema UserSchema { get; } = new(
    [
        new FeatureSpec("gender", FeatureKind.Categorical),
        new FeatureSpec("age", FeatureKind.Continuous),
        new FeatureSpec("region", FeatureKind.Categorical),
        new FeatureSpec("interests", FeatureKind.MultiCategorical),
    ]);

    public static FeatureSchema ItemSchema { get; } = new(
    [
        new FeatureSpec("category", FeatureKind.Categorical),
        new FeatureSpec("tags", FeatureKind.MultiCategorical),
        new FeatureSpec("price", FeatureKind.Continuous),
    ]);

    public static ProfileTable Users(GroundTruthModel model)
    {
        var o = model.Options;
        var names = new Names(o.Clusters);
        var profiles = new Profile[o.Users];
        Parallel.For(0, o.Users, new ParallelOptions { MaxDegreeOfParallelism = 2 }, u =>
        {
            var rng = SyntheticRandom.For(o.Seed, UserFeatureStream, u + 1);
            var primary = model.PrimaryOf(u);
            var secondary = model.SecondaryOf(u);
            var female = rng.NextDouble() < (primary % 2 == 0 ? 0.75 : 0.25);
            var centre = MinAge + 5 + (40.0 * primary / Math.Max(1, o.Clusters - 1));
            var age = rng.NextDouble() < o.FeatureNoise ? MinAge + rng.NextInt(MaxAge - MinAge + 1) : (int)Math.Round(centre + (6 * rng.NextGaussian()));
            age = Math.Clamp(age, MinAge, MaxAge);
            var region = rng.NextDouble() < o.FeatureNoise ? rng.NextInt(Regions) : primary % Regions;
            var interests = new List<string>(3);
            if (rng.NextDouble() >= o.FeatureNoise)
            {
                interests.Add(names.Cluster[primary]);
            }

            if (secondary != primary && rng.NextDouble() >= o.FeatureNoise)
            {
                interests.Add(names.Cluster[secondary]);
            }

            if (rng.NextDouble() < o.FeatureNoise)
            {
                var extra = names.Cluster[rng.NextInt(o.Clusters)];
                if (!interests.Contains(extra))
                {
                    interests.Add(extra);
                }
            }

            profiles[u] = new Profile(u + 1, [[female ? "f" : "m"], [names.Age[age]], [names.Region[region]], interests.ToArray()]);
        });
        return new ProfileTable(UserSchema, profiles);
    }

    public static ProfileTable Items(GroundTruthModel model)
    {
        var o = model.Options;
        var names = new Names(o.Clusters);
        var profiles = new Profile[o.Items];
        Parallel.For(0, o.Items, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var rng = SyntheticRandom.For(o.Seed, ItemFeatureStream, i + 1);
            var cluster = model.ClusterOf(i);
            var category = rng.NextDouble() < o.FeatureNoise ? rng.NextInt(o.Clusters) : cluster;
            var count = 1 + rng.NextInt(3);
            var tags = new List<string>(count);
            for (var t = 0; t < count; t++)
            {
                var source = rng.NextDouble() < o.FeatureNoise ? rng.NextInt(o.Clusters) : cluster;
                var tag = names.Tag[(source * TagsPerCluster) + rng.NextInt(TagsPerCluster)];
                if (!tags.Contains(tag))
                {
                    tags.Add(tag);
                }
            }

            var price = Math.Round(Math.Exp(1.5 + (0.5 * (cluster % 5)) + (0.4 * rng.NextGaussian())), 2);
            profiles[i] = new Profile(i + 1, [[names.Cluster[category]], tags.ToArray(), [price.ToString("0.##", CultureInfo.InvariantCulture)]]);
        });
        return new ProfileTable(ItemSchema, profiles);
    }

    /// <summary>Shared string instances so millions of profiles do not each hold their own copies.</summary>
    private sealed class Names
    {
        public Names(int clusters)
        {
            Cluster = Enumerable.Range(0, clusters).Select(c => "c" + c.ToString(CultureInfo.InvariantCulture)).ToArray();
            Region = Enumerable.Range(0, Regions).Select(r => "r" + r.ToString(CultureInfo.InvariantCulture)).ToArray();
            Age = Enumerable.Range(0, MaxAge + 1).Select(a => a.ToString(CultureInfo.InvariantCulture)).ToArray();
            Tag = Enumerable.Range(0, clusters * TagsPerCluster)
                .Select(t => $"c{(t / TagsPerCluster).ToString(CultureInfo.InvariantCulture)}-t{(t % TagsPerCluster).ToString(CultureInfo.InvariantCulture)}").ToArray();
        }

        public string[] Cluster { get; }

        public string[] Region { get; }

        public string[] Age { get; }

        public string[] Tag { get; }
    }
}
