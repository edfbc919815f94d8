using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned;

/// <summary>
/// The per-candidate features of the learned fusion: for each channel of the model (in manifest order) its min–max
/// normalised score (−1 when the channel did not propose the candidate), its rank (0-based; <see cref="MissingRank"/>
/// when absent) and the reciprocal rank 1/(rank+1) (0 when absent); then the number of the request's lists proposing it
/// (agreement), the reciprocal-rank-fusion sum Σ 1/(60 + rank + 1), the plain reciprocal-rank sum, the best rank,
/// log(1 + train popularity) and log(1 + the user's history length). The channels' configured fusion weights are not
/// features: the model learns its own weighting, and a change of weights does not move its inputs.
/// </summary>
internal static class LearnedFusionFeatures
{
    /// <summary>Rank feature of a channel that did not propose the candidate.</summary>
    public const float MissingRank = 1000;

    private static readonly string[] Shared = ["agreement", "rrf_sum", "reciprocal_rank_sum", "best_rank", "log_popularity", "log_history_length"];

    /// <summary>Feature names for <paramref name="channels"/>, in vector order.</summary>
    public static string[] Names(IReadOnlyList<string> channels) =>
        [.. channels.SelectMany(c => new[] { $"{c}.score", $"{c}.rank", $"{c}.reciprocal_rank" }), .. Shared];

    /// <summary>The candidates of <paramref name="input"/> (first-seen order) and their feature vectors.</summary>
    public static (long[] Items, float[][] Features) Compute(FusionInput input, IReadOnlyList<string> channels, IReadOnlyDictionary<long, double> popularity)
    {
        var width = channels.Count * 3 + Shared.Length;
        var index = new Dictionary<long, int>();
        var items = new List<long>();
        var rows = new List<float[]>();
        var channelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < channels.Count; c++)
        {
            channelIndex[channels[c]] = c;
        }

        var shared = channels.Count * 3;
        var logHistory = (float)Math.Log(1 + input.HistoryLength);
        foreach (var list in input.Lists)
        {
            var at = channelIndex.TryGetValue(list.Channel, out var c) ? c : -1;
            float min = float.MaxValue, max = float.MinValue;
            foreach (var item in list.Items)
            {
                min = Math.Min(min, item.Score);
                max = Math.Max(max, item.Score);
            }

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
                        features[k * 3] = -1;
                        features[k * 3 + 1] = MissingRank;
                    }

                    features[shared + 3] = MissingRank;
                    features[shared + 4] = (float)Math.Log(1 + popularity.GetValueOrDefault(item.ItemId));
                    features[shared + 5] = logHistory;
                    rows.Add(features);
                }

                var f = rows[row];
                if (at >= 0 && f[at * 3 + 1] == MissingRank)
                {
                    f[at * 3] = max > min ? (item.Score - min) / (max - min) : 1;
                    f[at * 3 + 1] = rank;
                    f[at * 3 + 2] = 1f / (rank + 1);
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
