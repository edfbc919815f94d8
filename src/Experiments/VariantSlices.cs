namespace RecFramework.Experiments;

/// <summary>Splits an experiment's ordered buckets into contiguous variant slices by cumulative share.</summary>
internal static class VariantSlices
{
    /// <summary>Variant v gets positions [round(S(v-1) × m), round(S(v) × m)) where S is the cumulative share.</summary>
    public static (int Start, int Count)[] Compute(IReadOnlyList<double> shares, int bucketCount)
    {
        var slices = new (int, int)[shares.Count];
        var total = shares.Sum();
        var cumulative = 0.0;
        var start = 0;
        for (var v = 0; v < shares.Count; v++)
        {
            cumulative += shares[v];
            var end = v == shares.Count - 1 ? bucketCount : (int)Math.Round(cumulative / total * bucketCount, MidpointRounding.AwayFromZero);
            end = Math.Clamp(end, start, bucketCount);
            slices[v] = (start, end - start);
            start = end;
        }

        return slices;
    }
}
