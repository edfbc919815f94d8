using RecFramework.Catalog;
using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>
/// Negative feedback on the request path: the disliked items join the request's exclusions (so channels skip them
/// too), and the catalogue values of recent dislikes (<see cref="NegativeFeedbackOptions.Fields"/> within
/// <see cref="NegativeFeedbackOptions.PeriodDays"/>) filter the candidates that share them before fusion.
/// </summary>
internal static class NegativeFeedbackFilter
{
    /// <summary>
    /// Adds every disliked item to <paramref name="exclude"/> and returns the (field, value) pairs the dislikes younger
    /// than the period block at <paramref name="now"/>; null when none.
    /// </summary>
    public static HashSet<(string Field, string Value)>? Apply(
        IReadOnlyList<Interaction> dislikes, NegativeFeedbackOptions options, IItemCatalog catalog, DateTimeOffset now, HashSet<long> exclude)
    {
        HashSet<(string, string)>? blocked = null;
        var since = options.PeriodDays > 0 && options.Fields.Count > 0 ? now.ToUnixTimeSeconds() - (long)(options.PeriodDays * 86_400) : long.MaxValue;
        foreach (var dislike in dislikes)
        {
            exclude.Add(dislike.ItemId);
            if (dislike.Timestamp <= since || catalog.Get(dislike.ItemId) is not { } item)
            {
                continue;
            }

            foreach (var field in options.Fields)
            {
                foreach (var value in item.Values(field))
                {
                    (blocked ??= []).Add((field, value));
                }
            }
        }

        return blocked;
    }

    /// <summary>
    /// <paramref name="exclude"/> when no candidate of <paramref name="results"/> has a blocked value; otherwise a copy
    /// with those candidates added (a copy: channels cut off by their timeout may still read the original).
    /// </summary>
    public static HashSet<long> WithBlockedCandidates(
        HashSet<long> exclude, (RecallResult? Result, ChannelOutcome Outcome)[] results, HashSet<(string Field, string Value)> blocked,
        IReadOnlyList<string> fields, IItemCatalog catalog)
    {
        HashSet<long>? extended = null;
        foreach (var (result, _) in results)
        {
            foreach (var candidate in result?.Items ?? [])
            {
                if (exclude.Contains(candidate.ItemId) || extended?.Contains(candidate.ItemId) == true
                    || catalog.Get(candidate.ItemId) is not { } item || !Shares(item, fields, blocked))
                {
                    continue;
                }

                (extended ??= new HashSet<long>(exclude)).Add(candidate.ItemId);
            }
        }

        return extended ?? exclude;
    }

    private static bool Shares(CatalogItem item, IReadOnlyList<string> fields, HashSet<(string Field, string Value)> blocked)
    {
        foreach (var field in fields)
        {
            foreach (var value in item.Values(field))
            {
                if (blocked.Contains((field, value)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
