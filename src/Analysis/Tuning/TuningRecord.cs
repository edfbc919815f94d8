using System.Globalization;
using System.Text.Json;
using RecFramework.Artifacts;

namespace RecFramework.Analysis.Tuning;

/// <summary>
/// What a tuning run recorded in the manifest of the version it built (<see cref="TuningOptions.ArtifactsDirectory"/>):
/// the chosen build parameters and the validation figures of the defaults and of the choice.
/// </summary>
/// <param name="Chosen">The chosen build parameters (empty: the configured defaults).</param>
/// <param name="Objective">The objective, e.g. <c>recall@20</c>.</param>
/// <param name="DefaultRecall">Validation recall of the configured defaults.</param>
/// <param name="TunedRecall">Validation recall of the choice.</param>
/// <param name="DefaultNdcg">Validation NDCG of the configured defaults.</param>
/// <param name="TunedNdcg">Validation NDCG of the choice.</param>
public sealed record TuningRecord(IReadOnlyDictionary<string, string> Chosen, string Objective, double DefaultRecall, double TunedRecall, double DefaultNdcg, double TunedNdcg)
{
    /// <summary>Manifest metric: validation Recall@K of the defaults.</summary>
    public const string DefaultRecallMetric = "tuning.default_recall";

    /// <summary>Manifest metric: validation Recall@K of the choice.</summary>
    public const string TunedRecallMetric = "tuning.tuned_recall";

    /// <summary>Manifest metric: validation NDCG@K of the defaults.</summary>
    public const string DefaultNdcgMetric = "tuning.default_ndcg";

    /// <summary>Manifest metric: validation NDCG@K of the choice.</summary>
    public const string TunedNdcgMetric = "tuning.tuned_ndcg";

    /// <summary>Reads the record from a manifest; null when the version was not built by a tuning run.</summary>
    /// <exception cref="RecFrameworkException">The recorded options are not a JSON object of strings (<see cref="RecError.ArtifactCorrupt"/>).</exception>
    public static TuningRecord? Read(ArtifactManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!manifest.Properties.TryGetValue(ChannelTuner.OptionsProperty, out var json))
        {
            return null;
        }

        Dictionary<string, string>? chosen;
        try
        {
            chosen = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException ex)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Manifest of {manifest.Channel}/{manifest.Version}: '{ChannelTuner.OptionsProperty}' is not a JSON object of strings: {ex.Message}", ex);
        }

        double Metric(string name) => manifest.Metrics.TryGetValue(name, out var value) ? value : double.NaN;
        return new TuningRecord(chosen ?? [], manifest.Properties.GetValueOrDefault(ChannelTuner.ObjectiveProperty, ""),
            Metric(DefaultRecallMetric), Metric(TunedRecallMetric), Metric(DefaultNdcgMetric), Metric(TunedNdcgMetric));
    }

    /// <summary>The manifest properties of <paramref name="tuning"/>: the chosen options (JSON) and the objective.</summary>
    internal static Dictionary<string, string> Properties(ChannelTuning tuning, int k) => new(StringComparer.Ordinal)
    {
        [ChannelTuner.OptionsProperty] = JsonSerializer.Serialize(tuning.Chosen.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value)),
        [ChannelTuner.ObjectiveProperty] = "recall@" + k.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The manifest metrics of <paramref name="tuning"/>: validation figures of the defaults and of the choice.</summary>
    internal static Dictionary<string, double> Metrics(ChannelTuning tuning) => new(StringComparer.Ordinal)
    {
        [DefaultRecallMetric] = tuning.DefaultRecall,
        [TunedRecallMetric] = tuning.TunedRecall,
        [DefaultNdcgMetric] = tuning.DefaultNdcg,
        [TunedNdcgMetric] = tuning.TunedNdcg,
    };
}
