using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned;

/// <summary>
/// The per-candidate features of the learned fusion. For each channel of the model (in manifest order), all computed
/// within the request's list of that channel (so per user): the raw score, the min–max normalised score, the score over
/// the list's maximum (when the maximum is positive) and the z-score within the list (−1, −1, −1 and −10 when the
/// channel did not propose the candidate), the rank (0-based; <see cref="MissingRank"/> when absent) and the reciprocal
/// rank 1/(rank+1) (0 when absent). Then the number of the request's lists proposing it (agreement), the
/// reciprocal-rank-fusion sum Σ 1/(60 + rank + 1), the plain reciprocal-rank sum, the best rank,
/// log(1 + train popularity), the item's train popularity rank as a fraction of the ranked items (1 for an item never
/// seen) and log(1 + the user's history length). The channels' configured fusion weights are not features: the model
/// learns its own weighting, and a change of weights does not move its inputs.
/// </summary>
internal static class LearnedFusionFeatures
{
    /// <summary>Rank feature of a channel that did not propose the candidate.</summary>
    public const float MissingRank = 1000;

    private const int PerChannel = 6;

    private static readonly string[] Shared = ["agreement", "rrf_sum", "reciprocal_rank_sum", "best_rank", "log_popularity", "popularity_rank", "log_history_length"];

    /// <summary>Feature names for <paramref name="channels"/>, in vector order.</summary>
    public static string[] Names(IReadOnlyList<string> channels) =>
    [
        .. channels.SelectMany(c => new[] { $"{c}.raw_score", $"{c}.score", $"{c}.score_over_max", $"{c}.z_score", $"{c}.rank", $"{c}.reciprocal_rank" }),
        .. Shared,
    ];

    /// <summary>
    /// Popularity rank of every item of <paramref name="popularity"/> as a fraction in [0, 1) (0 = most popular; ties by
    /// item id, so the table is deterministic).
    /// </summary>
    public static Dictionary<long, float> PopularityRanks(IReadOnlyDictionary<long, double> popularity)
    {
        var ordered = popularity.OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToArray();
        var result = new Dictionary<long, float>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            result[ordered[i].Key] = (float)i / ordered.Length;
        }

        return result;
    }

    /// <summary>The candidates of <paramref name="input"/> (first-seen order) and their feature vectors.</summary>
    public static (long[] Items, float[][] Features) Compute(FusionInput input, IReadOnlyList<string> channels, IReadOnlyDictionary<long, double> popularity,
        IReadOnlyDictionary<long, float> popularityRanks)
    {
        var width = channels.Count * PerChannel + Shared.Length;
        var index = new Dictionary<long, int>();
        var items = new List<long>();
        var rows = new List<float[]>();
        var channelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < channels.Count; c++)
        {
            channelIndex[channels[c]] = c;
        }

        var shared = channels.Count * PerChannel;
        var logHistory = (float)Math.Log(1 + input.HistoryLength);
        foreach (var list in input.Lists)
        {
            var at = channelIndex.TryGetValue(list.Channel, out var c) ? c : -1;
            float min = float.MaxValue, max = float.MinValue;
            double sum = 0, sumSquares = 0;
            foreach (var item in list.Items)
            {
                min = Math.Min(min, item.Score);
                max = Math.Max(max, item.Score);
                sum += item.Score;
                sumSquares += (double)item.Score * item.Score;
            }

            var n = Math.Max(1, list.Items.Count);
            var mean = sum / n;
            var deviation = Math.Sqrt(Math.Max(0, (sumSquares / n) - (mean * mean)));
            for (var rank = 0; rank < list.Items.Count; rank++)
            {
                var item = list.Items[rank];
                if (!index.TryGetValue(item.ItemId, out var row))
                {
                    row = rows.Count;
                    index[item.ItemId] = row;
                    items.Add(item.ItemId);
                    var features = new float[width];
                    for (var k = 0; k < channels.Count; k++)
                    {
                        features[k * PerChannel] = -1;
                        features[k * PerChannel + 1] = -1;
                        features[k * PerChannel + 2] = -1;
                        features[k * PerChannel + 3] = -10;
                        features[k * PerChannel + 4] = MissingRank;
                    }

                    features[shared + 3] = MissingRank;
                    features[shared + 4] = (float)Math.Log(1 + popularity.GetValueOrDefault(item.ItemId));
                    features[shared + 5] = popularityRanks.TryGetValue(item.ItemId, out var popularityRank) ? popularityRank : 1;
                    features[shared + 6] = logHistory;
                    rows.Add(features);
                }

                var f = rows[row];
                var o = at * PerChannel;
                if (at >= 0 && f[o + 4] == MissingRank)
                {
                    f[o] = item.Score;
                    f[o + 1] = max > min ? (item.Score - min) / (max - min) : 1;
                    f[o + 2] = max > 0 ? item.Score / max : 0;
                    f[o + 3] = deviation > 0 ? (float)((item.Score - mean) / deviation) : 0;
                    f[o + 4] = rank;
                    f[o + 5] = 1f / (rank + 1);
                }

                f[shared] += 1;
                f[shared + 1] += 1f / (60 + rank + 1);
                f[shared + 2] += 1f / (rank + 1);
                f[shared + 3] = Math.Min(f[shared + 3], rank);
            }
        }

        return ([.. items], [.. rows]);
    }
}
