using RecFramework.Artifacts;
using RecFramework.Data;

namespace RecFramework.Channels.ItemCF.Tests;

internal static class TestData
{
    /// <summary>Clicks with the like as weight, one per (user, item), timestamps in the given order.</summary>
    public static Interaction[] Likes(params (long User, long Item, float Like)[] likes)
    {
        var result = new Interaction[likes.Length];
        for (var k = 0; k < likes.Length; k++)
        {
            result[k] = new Interaction(likes[k].User, likes[k].Item, InteractionType.Click, 1_000 + k, likes[k].Like);
        }

        return result;
    }

    public static Interaction[] Random(int users, int items, int perUser, int seed)
    {
        var rng = new Random(seed);
        var list = new List<Interaction>();
        for (var u = 0; u < users; u++)
        {
            var seen = new HashSet<long>();
            var n = rng.Next(1, perUser + 1);
            for (var k = 0; k < n; k++)
            {
                // Skewed item choice so some items are hot.
                var item = (long)Math.Min(items - 1, Math.Floor(items * Math.Pow(rng.NextDouble(), 2)));
                if (seen.Add(item))
                {
                    list.Add(new Interaction(u + 100, item + 1000, InteractionType.Click, 10_000 + rng.Next(100_000), 1 + rng.Next(5)));
                }
            }
        }

        return [.. list];
    }

    public static UserItemMatrix Matrix(Interaction[] interactions, NeighbourhoodOptions? options = null)
        => UserItemMatrix.Build(interactions, options ?? new ItemCFOptions(), 2, CancellationToken.None);

    public static float Sim(CsrMatrix index, long row, long column)
    {
        var r = index.RowOf(row);
        var columns = index.ColumnsOf(r);
        for (var k = 0; k < columns.Length; k++)
        {
            if (index.ColumnIds[columns[k]] == column)
            {
                return index.ValuesOf(r)[k];
            }
        }

        return 0;
    }

    public static ChannelBuildContext Context(string channel, Interaction[] interactions, IArtifactStore store, int seed = 42, Dictionary<string, string>? parameters = null) => new()
    {
        Channel = channel,
        Data = new InteractionDataset("test", interactions),
        Store = store,
        Seed = seed,
        Parameters = parameters ?? [],
    };
}
