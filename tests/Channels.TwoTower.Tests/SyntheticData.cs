using RecFramework.Data;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// A planted structure: users and items belong to groups; users click items of their own group (popular ones more
/// often) plus a little noise. User profiles carry the group as a categorical feature and a continuous age; item
/// profiles carry a multi-valued "tags" field that contains the group tag and a random extra tag.
/// </summary>
internal static class SyntheticData
{
    public static FeatureSchema UserSchema { get; } = new([new FeatureSpec("segment", FeatureKind.Categorical), new FeatureSpec("age", FeatureKind.Continuous)]);

    public static FeatureSchema ItemSchema { get; } = new([new FeatureSpec("tags", FeatureKind.MultiCategorical), new FeatureSpec("year", FeatureKind.Continuous)]);

    public static int GroupOfUser(long user, int groups) => (int)(user % groups);

    public static int GroupOfItem(long item, int groups) => (int)(item % groups);

    public static Profile UserProfile(long user, int groups) => new(user, [[$"s{GroupOfUser(user, groups)}"], [(20 + (user % 40)).ToString(System.Globalization.CultureInfo.InvariantCulture)]]);

    /// <summary>(train, test): each user's last <paramref name="testPerUser"/> clicks form the test part.</summary>
    public static (InteractionDataset Train, Dictionary<long, HashSet<long>> Test) Create(int users = 150, int items = 120, int groups = 6, int clicksPerUser = 16, int testPerUser = 3, int seed = 7)
    {
        var random = new Random(seed);
        var userProfiles = Enumerable.Range(1, users).Select(u => UserProfile(u, groups)).ToList();
        var itemProfiles = Enumerable.Range(1, items).Select(i => new Profile(i,
        [
            [$"g{GroupOfItem(i, groups)}", $"x{random.Next(4)}"],
            [(1990 + (i % 30)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        ])).ToList();
        var byGroup = Enumerable.Range(0, groups).Select(g => Enumerable.Range(1, items).Where(i => GroupOfItem(i, groups) == g).ToArray()).ToArray();
        var train = new List<Interaction>();
        var test = new Dictionary<long, HashSet<long>>();
        long time = 1_000_000;
        for (long u = 1; u <= users; u++)
        {
            var own = byGroup[GroupOfUser(u, groups)];
            var chosen = new List<long>();
            while (chosen.Count < clicksPerUser)
            {
                long item = random.NextDouble() < 0.9
                    ? own[(int)(own.Length * Math.Pow(random.NextDouble(), 1.5))]
                    : random.Next(1, items + 1);
                if (!chosen.Contains(item))
                {
                    chosen.Add(item);
                }
            }

            for (var j = 0; j < chosen.Count; j++)
            {
                var e = new Interaction(u, chosen[j], InteractionType.Click, time + (u * 100) + j, 1f);
                if (j >= chosen.Count - testPerUser)
                {
                    (test.TryGetValue(u, out var set) ? set : test[u] = []).Add(chosen[j]);
                }
                else
                {
                    train.Add(e);
                }
            }

            // An exposure without a click: must never be used as a negative.
            train.Add(new Interaction(u, own[0], InteractionType.Impression, time + (u * 100) + 50, 1f));
        }

        return (new InteractionDataset("synthetic", train.ToArray(), new ProfileTable(UserSchema, userProfiles), new ProfileTable(ItemSchema, itemProfiles)), test);
    }
}
