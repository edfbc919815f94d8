namespace RecFramework.Experiments.Operations;

/// <summary>Chooses the reverse bucket of a launch from the experiment's own buckets.</summary>
internal static class ReverseBuckets
{
    /// <summary>
    /// round(<paramref name="share"/> × <paramref name="bucketCount"/>) buckets of <paramref name="experiment"/>: the
    /// buckets of its variants other than <paramref name="launched"/> first (in variant order, each variant's slice
    /// from its start), then the launched variant's; returned as sorted ranges.
    /// </summary>
    /// <exception cref="ExperimentOperationException">The share needs more buckets than the experiment holds, or rounds to none.</exception>
    public static List<string> Select(ExperimentOptions experiment, string launched, double share, int bucketCount)
    {
        var count = (int)Math.Round(share * bucketCount, MidpointRounding.AwayFromZero);
        if (share > 0 && count == 0)
        {
            throw new ExperimentOperationException(
                ExperimentOperationError.InvalidValue, $"reverseShare {share} of {bucketCount} buckets rounds to no bucket; give at least {1.0 / bucketCount} or 0 for no reverse bucket.");
        }

        var buckets = Expand(experiment.Buckets);
        if (count > buckets.Length)
        {
            throw new ExperimentOperationException(
                ExperimentOperationError.InvalidValue,
                $"reverseShare {share} needs {count} buckets; experiment '{experiment.Name}' holds {buckets.Length} of {bucketCount} (at most {(double)buckets.Length / bucketCount}).");
        }

        var slices = VariantSlices.Compute(experiment.Variants.Select(v => v.Share).ToArray(), buckets.Length);
        var order = Enumerable.Range(0, slices.Length)
            .OrderBy(v => string.Equals(experiment.Variants[v].Name, launched, StringComparison.Ordinal) ? 1 : 0)
            .SelectMany(v => Enumerable.Range(slices[v].Start, slices[v].Count).Select(i => buckets[i]));
        return Ranges(order.Take(count).Order().ToArray());
    }

    private static int[] Expand(List<string> ranges)
    {
        var buckets = new SortedSet<int>();
        foreach (var text in ranges)
        {
            if (BucketRange.TryParse(text, out var range))
            {
                for (var b = range.First; b <= range.Last; b++)
                {
                    buckets.Add(b);
                }
            }
        }

        return buckets.ToArray();
    }

    private static List<string> Ranges(int[] sorted)
    {
        var ranges = new List<string>();
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            ranges.Add(new BucketRange(sorted[i], sorted[j]).ToString());
            i = j + 1;
        }

        return ranges;
    }
}
