using System.Collections.Frozen;

namespace RecFramework.Experiments;

/// <summary>
/// Immutable compiled form of a validated configuration: per layer and bucket, the precomputed
/// <see cref="LayerAssignment"/> (one table for regular users, one for the holdout). Swapped as a whole on reload.
/// </summary>
internal sealed class RouterState
{
    private RouterState(ExperimentsOptions options)
    {
        (CanonicalJson, Version) = CanonicalConfiguration.Create(options);
        VersionTag = "v=" + Version;
        BucketCount = options.BucketCount;
        HoldoutPrefix = Bucketing.Prefix(string.IsNullOrEmpty(options.Holdout.Salt) ? "holdout" : options.Holdout.Salt);
        HoldoutBuckets = (int)Math.Round(options.Holdout.Share * options.BucketCount, MidpointRounding.AwayFromZero);
        Layers = options.Layers.Select(l => CompileLayer(l, options.BucketCount)).ToArray();
        (MergedParameters, Strides) = MergeCombinations(Layers);
    }

    /// <summary>Most parameter-set combinations whose merged dictionaries are precomputed.</summary>
    public const int MaxMergedCombinations = 4096;

    public string Version { get; }

    public string CanonicalJson { get; }

    /// <summary>"v=" + <see cref="Version"/>, the last part of every tag.</summary>
    public string VersionTag { get; }

    public int BucketCount { get; }

    public byte[] HoldoutPrefix { get; }

    /// <summary>Users whose holdout bucket is below this are held out (0: no holdout).</summary>
    public int HoldoutBuckets { get; }

    public CompiledLayer[] Layers { get; }

    /// <summary>
    /// Merged parameters of every combination of the layers' parameter sets, indexed by
    /// Σ ParameterSet(layer i) × Strides[i]; null when there are too many combinations (merged per request then).
    /// </summary>
    public IReadOnlyDictionary<string, string>[]? MergedParameters { get; }

    public int[] Strides { get; }

    /// <summary>Compiles options that <see cref="ExperimentsOptionsValidator"/> accepted.</summary>
    public static RouterState Compile(ExperimentsOptions options) => new(options);

    private static CompiledLayer CompileLayer(LayerOptions layer, int n)
    {
        var baseline = layer.Parameters.ToFrozenDictionary(StringComparer.Ordinal);
        var launched = layer.Experiments.Where(e => e.Status == ExperimentStatus.Launched).ToList();
        var effectiveDefault = Overlay(baseline, launched.Select(LaunchedParameters));

        var byBucket = new LayerAssignment[n];
        var holdout = new LayerAssignment[n];
        for (var b = 0; b < n; b++)
        {
            byBucket[b] = new LayerAssignment(layer.Name, null, LayerAssignment.DefaultVariant, b, false, effectiveDefault);
            holdout[b] = new LayerAssignment(layer.Name, null, LayerAssignment.HoldoutVariant, b, false, baseline);
        }

        foreach (var experiment in layer.Experiments)
        {
            if (experiment is { Status: ExperimentStatus.Running, Kind: ExperimentKind.Interleaving })
            {
                // Every bucket of the experiment serves all its variants; the layer's own parameters stay the default's.
                var teams = experiment.Variants.Select(v => new InterleavedTeam(v.Name, Overlay(effectiveDefault, [v.Parameters]))).ToArray();
                foreach (var bucket in Expand(experiment.Buckets))
                {
                    byBucket[bucket] = new LayerAssignment(layer.Name, experiment.Name, LayerAssignment.InterleavedVariant, bucket, false, effectiveDefault, teams);
                }
            }
            else if (experiment.Status == ExperimentStatus.Running)
            {
                var buckets = Expand(experiment.Buckets);
                var slices = VariantSlices.Compute(experiment.Variants.Select(v => v.Share).ToArray(), buckets.Length);
                for (var v = 0; v < slices.Length; v++)
                {
                    var variant = experiment.Variants[v];
                    var parameters = Overlay(effectiveDefault, [variant.Parameters]);
                    for (var i = slices[v].Start; i < slices[v].Start + slices[v].Count; i++)
                    {
                        byBucket[buckets[i]] = new LayerAssignment(layer.Name, experiment.Name, variant.Name, buckets[i], false, parameters);
                    }
                }
            }
            else if (experiment.Status == ExperimentStatus.Launched)
            {
                // The configuration from before this launch: the baseline with every other launch applied.
                var parameters = Overlay(baseline, launched.Where(e => !ReferenceEquals(e, experiment)).Select(LaunchedParameters));
                foreach (var bucket in Expand(experiment.ReverseBuckets))
                {
                    byBucket[bucket] = new LayerAssignment(layer.Name, experiment.Name, LayerAssignment.ReverseVariant, bucket, true, parameters);
                }
            }
        }

        var sets = new List<IReadOnlyDictionary<string, string>>();
        foreach (var assignment in byBucket.Concat(holdout))
        {
            var index = sets.FindIndex(p => ReferenceEquals(p, assignment.Parameters));
            if (index < 0)
            {
                index = sets.Count;
                sets.Add(assignment.Parameters);
            }

            assignment.ParameterSet = index;
        }

        return new CompiledLayer(layer.Name, Bucketing.Prefix(layer.Salt), byBucket, holdout, sets.ToArray());
    }

    private static (IReadOnlyDictionary<string, string>[]?, int[]) MergeCombinations(CompiledLayer[] layers)
    {
        var strides = new int[layers.Length];
        long combinations = 1;
        for (var i = 0; i < layers.Length; i++)
        {
            strides[i] = (int)Math.Min(combinations, int.MaxValue);
            combinations *= layers[i].ParameterSets.Length;
            if (combinations > MaxMergedCombinations)
            {
                return (null, strides);
            }
        }

        var merged = new IReadOnlyDictionary<string, string>[combinations];
        for (var index = 0; index < combinations; index++)
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < layers.Length; i++)
            {
                var set = layers[i].ParameterSets[index / strides[i] % layers[i].ParameterSets.Length];
                foreach (var (key, value) in set)
                {
                    parameters[key] = value;
                }
            }

            merged[index] = parameters.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return (merged, strides);
    }

    private static Dictionary<string, string> LaunchedParameters(ExperimentOptions experiment) =>
        experiment.Variants.First(v => string.Equals(v.Name, experiment.LaunchedVariant, StringComparison.Ordinal)).Parameters;

    private static FrozenDictionary<string, string> Overlay(IReadOnlyDictionary<string, string> start, IEnumerable<Dictionary<string, string>> layers)
    {
        var merged = new Dictionary<string, string>(start, StringComparer.Ordinal);
        foreach (var parameters in layers)
        {
            foreach (var (key, value) in parameters)
            {
                merged[key] = value;
            }
        }

        return merged.ToFrozenDictionary(StringComparer.Ordinal);
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
}
