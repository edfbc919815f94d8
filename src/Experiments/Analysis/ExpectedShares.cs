using RecFramework.Experiments;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Configured share of users per layer and group label, read from the router's own compiled bucket tables so the
/// SRM check uses exactly the split the router serves: share(label) = (1 − h) · buckets(label) / N, plus h for
/// "holdout", where h = holdout buckets / N.
/// </summary>
public static class ExpectedShares
{
    /// <summary>Expected shares of every layer and of <see cref="ExperimentAnalyzer.HoldoutLayer"/>.</summary>
    public static Dictionary<string, IReadOnlyDictionary<string, double>> From(ExperimentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = RouterState.Compile(options);
        var n = (double)state.BucketCount;
        var holdout = state.HoldoutBuckets / n;
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var layer in state.Layers)
        {
            var shares = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var assignment in layer.ByBucket)
            {
                var label = assignment.Stamp.Label;
                shares[label] = shares.GetValueOrDefault(label) + (1 - holdout) / n;
            }

            if (holdout > 0)
            {
                shares[LayerAssignment.HoldoutVariant] = holdout;
            }

            result[layer.Name] = shares;
        }

        if (holdout > 0)
        {
            result[ExperimentAnalyzer.HoldoutLayer] = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [LayerAssignment.HoldoutVariant] = holdout,
                [ExperimentAnalyzer.RestLabel] = 1 - holdout,
            };
        }

        return result;
    }
}
