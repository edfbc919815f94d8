using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>Merges per-channel candidate lists (already filtered) into one deduplicated ranking with attribution.</summary>
internal static class ScoreFusion
{
    /// <summary>Rank constant of reciprocal-rank fusion.</summary>
    public const double RrfConstant = 60;

    public static List<RecommendedItem> Fuse(FusionMode mode, IReadOnlyList<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)> lists, int k)
    {
        return mode == FusionMode.RoundRobin ? RoundRobin(lists, k) : Scored(mode, lists, k);
    }

    private static List<RecommendedItem> Scored(FusionMode mode, IReadOnlyList<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)> lists, int k)
    {
        var merged = new Dictionary<long, (double Score, List<string> Channels, int FirstSeen)>();
        var order = 0;
        foreach (var (plan, items) in lists)
        {
            if (items.Count == 0)
            {
                continue;
            }

            float min = float.MaxValue, max = float.MinValue;
            foreach (var item in items)
            {
                min = Math.Min(min, item.Score);
                max = Math.Max(max, item.Score);
            }

            for (var rank = 0; rank < items.Count; rank++)
            {
                var item = items[rank];
                double contribution = mode switch
                {
                    FusionMode.WeightedScore => plan.Weight * (max > min ? (item.Score - min) / (max - min) : 1.0),
                    _ => plan.Weight / (RrfConstant + rank + 1),
                };
                if (merged.TryGetValue(item.ItemId, out var entry))
                {
                    if (!entry.Channels.Contains(plan.Channel))
                    {
                        entry.Channels.Add(plan.Channel);
                        merged[item.ItemId] = (entry.Score + contribution, entry.Channels, entry.FirstSeen);
                    }
                }
                else
                {
                    merged[item.ItemId] = (contribution, [plan.Channel], order++);
                }
            }
        }

        return merged
            .OrderByDescending(kv => kv.Value.Score)
            .ThenBy(kv => kv.Value.FirstSeen)
            .Take(k)
            .Select(kv => new RecommendedItem(kv.Key, kv.Value.Score, kv.Value.Channels))
            .ToList();
    }

    private static List<RecommendedItem> RoundRobin(IReadOnlyList<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)> lists, int k)
    {
        var result = new List<RecommendedItem>(k);
        var index = new Dictionary<long, int>();
        var cursors = new int[lists.Count];
        var exhausted = false;
        while (result.Count < k && !exhausted)
        {
            exhausted = true;
            for (var c = 0; c < lists.Count && result.Count < k; c++)
            {
                var (plan, items) = lists[c];
                while (cursors[c] < items.Count)
                {
                    var item = items[cursors[c]++];
                    if (index.TryGetValue(item.ItemId, out var at))
                    {
                        var existing = result[at];
                        if (!existing.Channels.Contains(plan.Channel))
                        {
                            result[at] = existing with { Channels = [.. existing.Channels, plan.Channel] };
                        }

                        continue;
                    }

                    index[item.ItemId] = result.Count;
                    result.Add(new RecommendedItem(item.ItemId, k - result.Count, [plan.Channel]));
                    exhausted = false;
                    break;
                }
            }
        }

        return result;
    }
}
