namespace RecFramework.Bench;

/// <summary>
/// Seeded synthetic interactions for the <c>cf</c> benchmark: items fall into clusters of 1,000; each user has a home
/// cluster; 70 % of a user's events pick an item of the home cluster and 30 % one of the whole catalogue, both with a
/// power-law popularity (rank = n·u², so the head is hot and the tail long). Users get a geometric-like number of
/// events averaging interactions / users. Timestamps span 90 days; 80 % clicks, 20 % likes.
/// <para>
/// Not the Framework's <see cref="Data.Synthetic.SyntheticGenerator"/>: that one simulates a feed (impressions, Zipf
/// user activity and Zipf item exposure), while the scale targets (1M users, 1M items, 10M interactions) describe
/// 10M positive events spread over every user; this generator produces exactly that. The benchmark reports how many
/// users and items are active.
/// </para>
/// </summary>
internal static class SyntheticCf
{
    public static Interaction[] Generate(int users, int items, int interactions, int seed)
    {
        var rng = new Random(seed);
        var permutation = Enumerable.Range(0, items).ToArray();
        rng.Shuffle(permutation);
        var clusterSize = Math.Min(1000, items);
        var clusters = Math.Max(1, items / clusterSize);
        var result = new Interaction[interactions];
        const long start = 1_700_000_000;
        const int span = 90 * 86_400;
        var mean = interactions / (double)users;
        var n = 0;
        var user = 0;
        while (n < interactions)
        {
            var home = rng.Next(clusters);
            var count = 1 + (int)(-Math.Log(1 - rng.NextDouble()) * (mean - 1));
            var uid = user % users;
            for (var k = 0; k < count && n < interactions; k++)
            {
                int item;
                var u = rng.NextDouble();
                if (rng.NextDouble() < 0.7)
                {
                    item = (home * clusterSize) + (int)(clusterSize * u * u);
                }
                else
                {
                    item = permutation[(int)(items * u * u)];
                }

                var type = rng.NextDouble() < 0.8 ? InteractionType.Click : InteractionType.Like;
                result[n++] = new Interaction(uid + 1, Math.Min(item, items - 1) + 1, type, start + rng.Next(span));
            }

            user++;
        }

        return result;
    }
}
