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
        // Pooled per thread (this runs synchronously): the candidates of every list (a thousand with five channels at
        // the default quota) would otherwise cost a dictionary, a list per candidate and a sort buffer per request.
        var scratch = MergeScratch.ForFusion();
        var names = new string[lists.Count];
        for (var list = 0; list < lists.Count; list++)
        {
            names[list] = lists[list].Plan.Channel;
        }

        for (var list = 0; list < lists.Count; list++)
        {
            var plan = lists[list].Plan;
            var items = ScoredItemSpan.Of(lists[list].Items);
            if (items.Length == 0)
            {
                continue;
            }

            float min = float.MaxValue, max = float.MinValue;
            foreach (var item in items)
            {
                min = Math.Min(min, item.Score);
                max = Math.Max(max, item.Score);
            }

            for (var rank = 0; rank < items.Length; rank++)
            {
                var item = items[rank];
                double contribution = mode switch
                {
                    FusionMode.WeightedScore => plan.Weight * (max > min ? (item.Score - min) / (max - min) : 1.0),
                    _ => plan.Weight / (RrfConstant + rank + 1),
                };
                scratch.Add(item.ItemId, contribution, list, names);
            }
        }

        var ranked = scratch.Ranked(k);
        var take = ranked.Length;
        var result = new List<RecommendedItem>(take);
        // Items proposed by the same channels in the same order share one list within this answer (keyed by the
        // proposers as a bit set when there are at most 64 lists and the order is the lists' order).
        var single = new string[]?[lists.Count];
        List<(ulong Mask, string[] Channels)>? shared = null;
        Span<int> proposers = lists.Count <= 64 ? stackalloc int[lists.Count] : new int[lists.Count];
        for (var i = 0; i < take; i++)
        {
            var slot = ranked[i];
            var count = scratch.ListsOf(slot, proposers);
            IReadOnlyList<string> channels;
            if (count == 1)
            {
                channels = single[proposers[0]] ??= [names[proposers[0]]];
            }
            else
            {
                channels = SharedList(proposers[..count], names, lists.Count <= 64 ? shared ??= [] : null);
            }

            result.Add(new RecommendedItem(scratch.ItemOf(slot), scratch.ScoreOf(slot), channels));
        }

        return result;
    }

    /// <summary>The channel names of <paramref name="proposers"/>, reused from <paramref name="shared"/> for the same proposers in the same (ascending) order.</summary>
    private static string[] SharedList(ReadOnlySpan<int> proposers, IReadOnlyList<string> names, List<(ulong Mask, string[] Channels)>? shared)
    {
        var mask = 0UL;
        var ascending = true;
        for (var c = 0; c < proposers.Length; c++)
        {
            mask |= 1UL << proposers[c];
            ascending &= c == 0 || proposers[c] > proposers[c - 1];
        }

        if (shared is not null && ascending)
        {
            foreach (var (key, list) in shared)
            {
                if (key == mask)
                {
                    return list;
                }
            }
        }

        var all = new string[proposers.Length];
        for (var c = 0; c < proposers.Length; c++)
        {
            all[c] = names[proposers[c]];
        }

        if (shared is not null && ascending)
        {
            shared.Add((mask, all));
        }

        return all;
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
