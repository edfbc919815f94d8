using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>
/// Cross-object rules of <see cref="ExperimentsOptions"/>, returning every failure at once, each naming its entry:
/// names and salts, bucket ranges (format, bounds, overlaps inside a layer), variant shares, launches and
/// parameters naming unregistered channels. Runs at start-up (options name <see cref="StartupOptionsName"/>) and
/// on every reload (by the router).
/// </summary>
internal sealed partial class ExperimentsOptionsValidator(ChannelCatalog catalog) : IValidateOptions<ExperimentsOptions>
{
    /// <summary>Options name of the start-up validated copy (it has no change token, so reloads never throw).</summary>
    public const string StartupOptionsName = "RecFramework.Experiments.Startup";

    /// <summary>Largest bucket count accepted.</summary>
    public const int MaxBucketCount = 1_000_000;

    /// <summary>Most variants of an interleaving experiment (each runs its own pipeline for every request).</summary>
    public const int MaxInterleavedVariants = 8;

    private const double ShareTolerance = 1e-6;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ExperimentsOptions options)
    {
        if (!string.Equals(name, StartupOptionsName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every failure of <paramref name="options"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(ExperimentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var n = options.BucketCount;
        if (n < 1 || n > MaxBucketCount)
        {
            failures.Add($"{ExperimentsOptions.Section}:BucketCount = {n} must be in [1, {MaxBucketCount}].");
            return failures;
        }

        var salts = new Dictionary<string, string>(StringComparer.Ordinal);
        var holdout = options.Holdout ?? new HoldoutOptions();
        if (!(holdout.Share >= 0 && holdout.Share < 1))
        {
            failures.Add($"{ExperimentsOptions.Section}:Holdout:Share = {holdout.Share.ToString(CultureInfo.InvariantCulture)} must be in [0, 1).");
        }

        if (holdout.Share > 0)
        {
            CheckSalt(holdout.Salt, $"{ExperimentsOptions.Section}:Holdout:Salt", "the holdout", salts, failures);
        }

        var interleavingLayers = new List<string>();
        var layerNames = new HashSet<string>(StringComparer.Ordinal);
        var experimentNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var l = 0; l < options.Layers.Count; l++)
        {
            var layer = options.Layers[l];
            var path = $"{ExperimentsOptions.Section}:Layers[{l}] '{layer.Name}'";
            if (CheckName(layer.Name, $"{ExperimentsOptions.Section}:Layers[{l}]:Name", failures) && !layerNames.Add(layer.Name))
            {
                failures.Add($"{path}: duplicate layer name '{layer.Name}'.");
            }

            CheckSalt(layer.Salt, $"{path}:Salt", $"layer '{layer.Name}'", salts, failures);
            CheckParameters(layer.Parameters, $"{path}:Parameters", failures);
            ValidateExperiments(layer, path, n, experimentNames, failures);
            if (layer.Experiments.Any(e => e is { Kind: ExperimentKind.Interleaving, Status: ExperimentStatus.Running }))
            {
                interleavingLayers.Add(layer.Name);
            }
        }

        if (interleavingLayers.Count > 1)
        {
            // Layers are orthogonal: a user could fall into two interleaving experiments, whose lists cannot both be merged.
            failures.Add($"{ExperimentsOptions.Section}:Layers: running interleaving experiments are in {interleavingLayers.Count} layers ({string.Join(", ", interleavingLayers)}); at most one layer may hold them.");
        }

        return failures;
    }

    private void ValidateExperiments(LayerOptions layer, string layerPath, int n, Dictionary<string, string> experimentNames, List<string> failures)
    {
        var owner = new string?[n];
        var reported = new HashSet<(string, string)>();
        for (var e = 0; e < layer.Experiments.Count; e++)
        {
            var experiment = layer.Experiments[e];
            var path = $"{layerPath}:Experiments[{e}] '{experiment.Name}'";
            if (CheckName(experiment.Name, $"{layerPath}:Experiments[{e}]:Name", failures))
            {
                if (experimentNames.TryGetValue(experiment.Name, out var otherLayer))
                {
                    failures.Add($"{path}: duplicate experiment name '{experiment.Name}' (already in layer '{otherLayer}').");
                }
                else
                {
                    experimentNames.Add(experiment.Name, layer.Name);
                }
            }

            var buckets = ParseRanges(experiment.Buckets, $"{path}:Buckets", n, failures);
            var reverse = ParseRanges(experiment.ReverseBuckets, $"{path}:ReverseBuckets", n, failures);
            ValidateVariants(experiment, path, failures);
            ValidateDecisionRule(experiment, path, failures);
            var held = experiment.Status switch
            {
                ExperimentStatus.Running => buckets,
                ExperimentStatus.Launched => reverse,
                _ => [],
            };
            if (experiment.Status == ExperimentStatus.Running)
            {
                if (experiment.Buckets.Count == 0)
                {
                    failures.Add($"{path}: a running experiment needs at least one bucket range in Buckets.");
                }

                if (experiment.ReverseBuckets.Count > 0)
                {
                    failures.Add($"{path}: ReverseBuckets are only meaningful once launched (status is Running).");
                }

                if (experiment.Kind == ExperimentKind.AbTest)
                {
                    CheckVariantBuckets(experiment, path, buckets.Sum(r => r.Count), failures);
                }
            }
            else if (experiment is { Status: ExperimentStatus.Launched, Kind: ExperimentKind.Interleaving })
            {
                failures.Add($"{path}: an interleaving experiment cannot be launched (it measures preference only); confirm its winner with an A/B experiment and launch that.");
            }
            else if (experiment.Status == ExperimentStatus.Launched
                && !experiment.Variants.Any(v => string.Equals(v.Name, experiment.LaunchedVariant, StringComparison.Ordinal)))
            {
                failures.Add($"{path}: LaunchedVariant = '{experiment.LaunchedVariant}' is not one of its variants ({string.Join(", ", experiment.Variants.Select(v => v.Name))}).");
            }

            foreach (var range in held)
            {
                for (var b = range.First; b <= range.Last; b++)
                {
                    if (owner[b] is { } other && other != experiment.Name)
                    {
                        if (reported.Add((other, experiment.Name)))
                        {
                            failures.Add($"{path}: bucket range {range} overlaps experiment '{other}' in layer '{layer.Name}' (first shared bucket {b}).");
                        }
                    }
                    else if (owner[b] is not null)
                    {
                        if (reported.Add((experiment.Name, experiment.Name)))
                        {
                            failures.Add($"{path}: bucket range {range} overlaps another of its own ranges (bucket {b}).");
                        }
                    }
                    else
                    {
                        owner[b] = experiment.Name;
                    }
                }
            }
        }
    }

    private void ValidateVariants(ExperimentOptions experiment, string path, List<string> failures)
    {
        if (experiment.Variants.Count == 0)
        {
            if (experiment.Status != ExperimentStatus.Stopped)
            {
                failures.Add($"{path}: no variants.");
            }

            return;
        }

        var interleaving = experiment.Kind == ExperimentKind.Interleaving;
        if (interleaving && experiment.Variants.Count is < 2 or > MaxInterleavedVariants)
        {
            failures.Add($"{path}: an interleaving experiment needs 2 to {MaxInterleavedVariants} variants, not {experiment.Variants.Count}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var sum = 0.0;
        for (var v = 0; v < experiment.Variants.Count; v++)
        {
            var variant = experiment.Variants[v];
            var variantPath = $"{path}:Variants[{v}] '{variant.Name}'";
            if (CheckName(variant.Name, $"{path}:Variants[{v}]:Name", failures))
            {
                if (variant.Name is LayerAssignment.DefaultVariant or LayerAssignment.HoldoutVariant or LayerAssignment.ReverseVariant or LayerAssignment.InterleavedVariant)
                {
                    failures.Add($"{variantPath}: the variant name '{variant.Name}' is reserved.");
                }
                else if (!names.Add(variant.Name))
                {
                    failures.Add($"{variantPath}: duplicate variant name '{variant.Name}'.");
                }
            }

            if (interleaving)
            {
                if (variant.Share != 0)
                {
                    failures.Add($"{variantPath}: Share = {variant.Share.ToString(CultureInfo.InvariantCulture)} is not used by an interleaving experiment (every user sees all variants); leave it at 0.");
                }
            }
            else if (!(variant.Share > 0 && variant.Share <= 1))
            {
                failures.Add($"{variantPath}: Share = {variant.Share.ToString(CultureInfo.InvariantCulture)} must be in (0, 1].");
            }

            sum += variant.Share;
            CheckParameters(variant.Parameters, $"{variantPath}:Parameters", failures);
        }

        if (!interleaving && Math.Abs(sum - 1) > ShareTolerance)
        {
            failures.Add($"{path}: variant shares add up to {sum.ToString("R", CultureInfo.InvariantCulture)}, not 1 ({string.Join(" + ", experiment.Variants.Select(v => $"{v.Name} {v.Share.ToString(CultureInfo.InvariantCulture)}"))}).");
        }
    }

    private static void ValidateDecisionRule(ExperimentOptions experiment, string path, List<string> failures)
    {
        var known = string.Join(", ", Analysis.ExperimentMetrics.Names) + ", " + Analysis.ExperimentMetrics.Families;
        if (experiment.PrimaryMetric is { } primary && !Analysis.ExperimentMetrics.IsKnown(primary))
        {
            failures.Add($"{path}:PrimaryMetric = '{primary}' is not a metric (known: {known}).");
        }

        if (experiment.TargetEffect is { } target && !(target > 0 && target <= 10))
        {
            failures.Add($"{path}:TargetEffect = {target.ToString(CultureInfo.InvariantCulture)} must be a relative effect in (0, 10].");
        }

        var metrics = new HashSet<string>(StringComparer.Ordinal);
        for (var g = 0; g < experiment.Guardrails.Count; g++)
        {
            var guardrail = experiment.Guardrails[g];
            var guardrailPath = $"{path}:Guardrails[{g}] '{guardrail.Metric}'";
            if (!Analysis.ExperimentMetrics.IsKnown(guardrail.Metric))
            {
                failures.Add($"{guardrailPath}: Metric = '{guardrail.Metric}' is not a metric (known: {known}).");
            }
            else if (!metrics.Add(guardrail.Metric))
            {
                failures.Add($"{guardrailPath}: duplicate guardrail metric '{guardrail.Metric}'.");
            }

            if (!(guardrail.Margin >= 0 && guardrail.Margin < 1))
            {
                failures.Add($"{guardrailPath}: Margin = {guardrail.Margin.ToString(CultureInfo.InvariantCulture)} must be a relative drop in [0, 1).");
            }
        }
    }

    private static void CheckVariantBuckets(ExperimentOptions experiment, string path, int bucketCount, List<string> failures)
    {
        if (bucketCount == 0 || experiment.Variants.Count == 0)
        {
            return;
        }

        var slices = VariantSlices.Compute(experiment.Variants.Select(v => v.Share).ToArray(), bucketCount);
        for (var v = 0; v < slices.Length; v++)
        {
            if (slices[v].Count == 0)
            {
                failures.Add($"{path}:Variants[{v}] '{experiment.Variants[v].Name}': share {experiment.Variants[v].Share.ToString(CultureInfo.InvariantCulture)} of {bucketCount} buckets rounds to no bucket.");
            }
        }
    }

    private static List<BucketRange> ParseRanges(List<string> texts, string path, int n, List<string> failures)
    {
        var ranges = new List<BucketRange>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!BucketRange.TryParse(texts[i], out var range))
            {
                failures.Add($"{path}[{i}] = '{texts[i]}' is not a bucket range (\"first-last\" or \"bucket\", first <= last).");
            }
            else if (range.Last >= n)
            {
                failures.Add($"{path}[{i}] = '{texts[i]}' is outside the bucket count {n} (buckets are 0-{n - 1}).");
            }
            else
            {
                ranges.Add(range);
            }
        }

        return ranges;
    }

    private void CheckParameters(Dictionary<string, string> parameters, string path, List<string> failures)
    {
        foreach (var (key, value) in parameters)
        {
            var entry = $"{path}:{key} = '{value}'";
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot >= 0)
            {
                var channel = key[..dot];
                var suffix = key[(dot + 1)..];
                if (!catalog.Contains(channel))
                {
                    failures.Add($"{entry}: unknown channel '{channel}' (registered: {string.Join(", ", catalog.Names)}).");
                    continue;
                }

                var bad = suffix switch
                {
                    RecallParameterKeys.Quota or RecallParameterKeys.TimeoutMs => !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i <= 0,
                    RecallParameterKeys.Weight => !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !double.IsFinite(w) || w < 0,
                    _ => false,
                };
                if (bad)
                {
                    failures.Add($"{entry}: '{suffix}' needs a {(suffix == RecallParameterKeys.Weight ? "finite non-negative number" : "positive integer")}.");
                }
            }
            else if (key == RecallParameterKeys.Channels)
            {
                foreach (var channel in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!catalog.Contains(channel))
                    {
                        failures.Add($"{entry}: unknown channel '{channel}' (registered: {string.Join(", ", catalog.Names)}).");
                    }
                }
            }
            else if (key == RecallParameterKeys.Fusion && !Enum.TryParse<FusionMode>(value, ignoreCase: true, out _))
            {
                failures.Add($"{entry}: unknown fusion mode (known: {string.Join(", ", Enum.GetNames<FusionMode>())}).");
            }
            else if (key == RecallParameterKeys.K && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k <= 0))
            {
                failures.Add($"{entry}: 'k' needs a positive integer.");
            }
        }
    }

    private static bool CheckName(string? name, string path, List<string> failures)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            failures.Add($"{path} = '{name}' must match {NamePattern()} (letters, digits, '_', '.', '-').");
            return false;
        }

        return true;
    }

    private static void CheckSalt(string? salt, string path, string user, Dictionary<string, string> salts, List<string> failures)
    {
        if (string.IsNullOrEmpty(salt))
        {
            failures.Add($"{path} is empty; every layer and the holdout need their own salt.");
            return;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(salt) > Bucketing.MaxSaltBytes)
        {
            failures.Add($"{path} = '{salt}' is longer than {Bucketing.MaxSaltBytes} UTF-8 bytes.");
        }

        if (!salts.TryAdd(salt, user))
        {
            failures.Add($"{path} = '{salt}' is already the salt of {salts[salt]}; salts must differ or the layers are not independent.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
