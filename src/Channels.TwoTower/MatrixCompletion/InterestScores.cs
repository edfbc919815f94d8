namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// The interest score of each observed (user, item) pair, the regression target of matrix completion. An event
/// scores by its type: click, dwell and complete 1, comment and like 2, collect and share 3 (the stronger the action,
/// the stronger the interest, as the course ranks them); a click's weight multiplies its score, so a data set of
/// ratings stored as weighted clicks (ML-100K: rating 1–5) scores by the rating. A pair scores the maximum of its
/// positive events; a pair with only exposures (impression) or dislikes scores 0: an observed "not interested".
/// Scores are divided by the largest one, so they lie in [0, 1] and 0 is the score of an unobserved pair sampled
/// as a negative.
/// </summary>
internal static class InterestScores
{
    /// <summary>The score of one event before scaling (0 for exposures and dislikes).</summary>
    public static float Of(Interaction e) => e.Type switch
    {
        InteractionType.Click => Math.Max(e.Weight, 0f),
        InteractionType.Dwell or InteractionType.Complete => 1f,
        InteractionType.Comment or InteractionType.Like => 2f,
        InteractionType.Collect or InteractionType.Share => 3f,
        _ => 0f,
    };

    /// <summary>(user, item, score) of every observed pair, scores scaled into [0, 1], sorted by user then item.</summary>
    public static (long User, long Item, float Score)[] Observed(IEnumerable<Interaction> interactions)
    {
        var scores = new Dictionary<(long User, long Item), float>();
        foreach (var e in interactions)
        {
            var key = (e.UserId, e.ItemId);
            var score = Of(e);
            scores[key] = scores.TryGetValue(key, out var seen) ? Math.Max(seen, score) : score;
        }

        var max = scores.Count == 0 ? 0f : scores.Values.Max();
        var scale = max > 0 ? 1f / max : 0f;
        return scores.Select(kv => (kv.Key.User, kv.Key.Item, kv.Value * scale))
            .OrderBy(t => t.User).ThenBy(t => t.Item)
            .ToArray();
    }
}
