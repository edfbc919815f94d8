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

    /// <summary>Every metric name an experiment's <c>PrimaryMetric</c> or guardrail may name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Ctr, HitRate, ClicksPerUser, RecallAtK, NdcgAtK];

    /// <summary>Primary metric of an experiment that names none.</summary>
    public const string DefaultPrimary = ClicksPerUser;
}
