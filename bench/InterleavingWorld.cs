namespace RecFramework.Bench;

/// <summary>
/// Ground truth for the <c>interleaving</c> benchmark, from a log of positive events: each user's last 20 % (at least one)
/// is the truth (what the user will click when shown), the rest the history. Three recall channels answer from the
/// history: <c>itemcf</c> (cosine item co-occurrence over the user's last 30 items), <c>popular</c> (most events) and
/// <c>random</c> (seeded); each gives its best <see cref="ListLength"/> items the user has not seen. A channel mix fills
/// a list by weight (<see cref="Mix"/>).
/// </summary>
internal sealed class InterleavingWorld
{
    public const int ListLength = 30;

    private InterleavingWorld(string name, HashSet<long>[] truth, Dictionary<string, long[][]> lists)
    {
        Name = name;
        Truth = truth;
        Lists = lists;
    }

    public string Name { get; }

    /// <summary>Per user (dense index): the held-out items.</summary>
    public HashSet<long>[] Truth { get; }

    /// <summary>Per channel, per user: its ranked answer.</summary>
    public Dictionary<string, long[][]> Lists { get; }

    public int Users => Truth.Length;

    public static InterleavingWorld Build(string name, IEnumerable<Interaction> interactions, int seed)
    {
        var byUser = interactions.Where(i => i.IsPositive).GroupBy(i => i.UserId)
            .Select(g => g.OrderBy(i => i.Timestamp).ThenBy(i => i.ItemId).Select(i => i.ItemId).Distinct().ToArray())
            .Where(items => items.Length >= 5).ToArray();
        var itemIds = byUser.SelectMany(i => i).Distinct().Order().ToArray();
        var index = itemIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var n = itemIds.Length;
        var history = new int[byUser.Length][];
        var truth = new HashSet<long>[byUser.Length];
        var counts = new int[n];
        for (var u = 0; u < byUser.Length; u++)
        {
            var cut = byUser[u].Length - Math.Max(1, byUser[u].Length / 5);
            history[u] = byUser[u][..cut].Select(i => index[i]).ToArray();
            truth[u] = byUser[u][cut..].ToHashSet();
            foreach (var i in history[u])
            {
                counts[i]++;
            }
        }

        // Cosine co-occurrence over the histories (dense: the benchmark's catalogues have a few thousand items).
        var co = new float[(long)n * n];
        foreach (var items in history)
        {
            foreach (var a in items)
            {
                foreach (var b in items)
                {
                    if (a != b)
                    {
                        co[((long)a * n) + b]++;
                    }
                }
            }
        }

        var popular = Enumerable.Range(0, n).OrderByDescending(i => counts[i]).ThenBy(i => i).ToArray();
        var rng = new Random(seed);
        var lists = new Dictionary<string, long[][]>(StringComparer.Ordinal)
        {
            ["itemcf"] = new long[byUser.Length][],
            ["popular"] = new long[byUser.Length][],
            ["random"] = new long[byUser.Length][],
        };
        var scores = new double[n];
        for (var u = 0; u < byUser.Length; u++)
        {
            var seen = history[u].ToHashSet();
            Array.Clear(scores);
            foreach (var a in history[u].TakeLast(30))
            {
                for (var b = 0; b < n; b++)
                {
                    var c = co[((long)a * n) + b];
                    if (c > 0)
                    {
                        scores[b] += c / Math.Sqrt((double)counts[a] * counts[b]);
                    }
                }
            }

            lists["itemcf"][u] = Enumerable.Range(0, n).Where(i => scores[i] > 0 && !seen.Contains(i)).OrderByDescending(i => scores[i]).ThenBy(i => i)
                .Take(ListLength).Select(i => itemIds[i]).ToArray();
            lists["popular"][u] = popular.Where(i => !seen.Contains(i)).Take(ListLength).Select(i => itemIds[i]).ToArray();
            var random = new List<long>(ListLength);
            while (random.Count < Math.Min(ListLength, n - seen.Count))
            {
                var i = rng.Next(n);
                if (!seen.Contains(i) && !random.Contains(itemIds[i]))
                {
                    random.Add(itemIds[i]);
                }
            }

            lists["random"][u] = [.. random];
        }

        return new InterleavingWorld(name, truth, lists);
    }

    /// <summary>
    /// User <paramref name="user"/>'s list of <paramref name="k"/> items from a channel mix: slot by slot, the channel
    /// furthest below its weighted share places its next item not yet listed.
    /// </summary>
    public long[] Mix(int user, IReadOnlyList<(string Channel, double Weight)> mix, int k)
    {
        var total = mix.Sum(m => m.Weight);
        var taken = new int[mix.Count];
        var next = new int[mix.Count];
        var list = new List<long>(k);
        for (var slot = 0; slot < k; slot++)
        {
            var best = -1;
            var deficit = double.NegativeInfinity;
            for (var c = 0; c < mix.Count; c++)
            {
                var d = (mix[c].Weight / total * (slot + 1)) - taken[c];
                if (next[c] < Lists[mix[c].Channel][user].Length && d > deficit)
                {
                    (best, deficit) = (c, d);
                }
            }

            if (best < 0)
            {
                break;
            }

            var source = Lists[mix[best].Channel][user];
            while (next[best] < source.Length && list.Contains(source[next[best]]))
            {
                next[best]++;
            }

            if (next[best] < source.Length)
            {
                list.Add(source[next[best]++]);
                taken[best]++;
            }
            else
            {
                slot--; // that channel is used up; another fills the slot
                next[best] = source.Length;
            }
        }

        return [.. list];
    }
}
