namespace RecFramework.Experiments.Analysis;

/// <summary>Names of the metrics a variant is compared on (keys of <see cref="VariantReport.Lifts"/>); every one is higher-is-better.</summary>
public static class ExperimentMetrics
{
    /// <summary>Clicks / exposures (delta method).</summary>
    public const string Ctr = "ctr";

    /// <summary>Share of users with a click.</summary>
    public const string HitRate = "hit_rate";

    /// <summary>Clicks per user (CUPED-adjusted when enabled).</summary>
    public const string ClicksPerUser = "clicks_per_user";

    /// <summary>Recall@K (replay only).</summary>
    public const string RecallAtK = "recall_at_k";

    /// <summary>NDCG@K (replay only).</summary>
    public const string NdcgAtK = "ndcg_at_k";

    /// <summary>Active days per user in the period (CUPED-adjusted when enabled).</summary>
    public const string ActiveDaysPerUser = UserLevelStats.ActiveDaysKey;

    /// <summary>Distinct items a user engaged with in the period (CUPED-adjusted when enabled).</summary>
    public const string ItemsConsumedPerUser = UserLevelStats.ItemsConsumedKey;

    /// <summary>
    /// The fixed metric names; besides these, <see cref="IsKnown"/> accepts the families <c>retention_day_N</c> (N ≥ 1)
    /// and, for every positive event type T, <c>T_per_exposure</c>, <c>T_per_click</c> and <c>T_mean_value</c>.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = [Ctr, HitRate, ClicksPerUser, RecallAtK, NdcgAtK, ActiveDaysPerUser, ItemsConsumedPerUser];

    /// <summary>The metric families named by pattern, as the validator prints them.</summary>
    public const string Families = "retention_day_N, TYPE_per_exposure, TYPE_per_click, TYPE_mean_value";

    /// <summary>
    /// True when <paramref name="name"/> is a metric an experiment's <c>PrimaryMetric</c> or guardrail may name: one of
    /// <see cref="Names"/>, <c>retention_day_N</c> with N ≥ 1, or a per-type rate or mean value of a positive event type.
    /// </summary>
    /// <param name="name">The metric name from configuration.</param>
    public static bool IsKnown(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (Names.Contains(name, StringComparer.Ordinal))
        {
            return true;
        }

        const string retention = "retention_day_";
        if (name.StartsWith(retention, StringComparison.Ordinal))
        {
            var digits = name[retention.Length..];
            return digits.Length is > 0 and <= 4 && digits.All(char.IsAsciiDigit) && digits[0] != '0';
        }

        foreach (var suffix in (ReadOnlySpan<string>)["_per_exposure", "_per_click", "_mean_value"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)
                && InteractionTypes.Names.Contains(name[..^suffix.Length], StringComparer.Ordinal)
                && InteractionTypes.TryParse(name.AsSpan(0, name.Length - suffix.Length), out var type)
                && type is not (InteractionType.Impression or InteractionType.Dislike))
            {
                return suffix != "_mean_value" || type.TakesValue();
            }
        }

        return false;
    }

    /// <summary>Primary metric of an experiment that names none.</summary>
    public const string DefaultPrimary = ClicksPerUser;
}
