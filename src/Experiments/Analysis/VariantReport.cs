namespace RecFramework.Experiments.Analysis;

/// <summary>Every figure of one group (variant, default, holdout, reverse) of a layer.</summary>
public sealed record VariantReport
{
    /// <summary>Group label ("exp/control", "default", "holdout", "reverse", "rest").</summary>
    public required string Variant { get; init; }

    /// <summary>Experiment of the group, null for default and holdout.</summary>
    public string? Experiment { get; init; }

    /// <summary>Whether other groups of the layer are compared with this one.</summary>
    public bool IsControl { get; init; }

    /// <summary>Distinct users.</summary>
    public required int Users { get; init; }

    /// <summary>Observed share of the layer's users.</summary>
    public required double ObservedShare { get; init; }

    /// <summary>Configured share of the layer's users (normalised over the configured groups), null when not configured.</summary>
    public double? ExpectedShare { get; init; }

    /// <summary>Requests.</summary>
    public required int Requests { get; init; }

    /// <summary>Exposures.</summary>
    public required long Exposures { get; init; }

    /// <summary>Clicks (hits in replay).</summary>
    public required long Clicks { get; init; }

    /// <summary>Clicks / exposures; interval by the delta method over users.</summary>
    public required MetricEstimate Ctr { get; init; }

    /// <summary>Share of users with at least one click; Wald interval.</summary>
    public required MetricEstimate HitRate { get; init; }

    /// <summary>Mean over users of clicks per user (CUPED-adjusted when enabled); t interval.</summary>
    public required MetricEstimate ClicksPerUser { get; init; }

    /// <summary>Mean over users of per-request recall@K (hits / relevant items); null without relevant counts.</summary>
    public MetricEstimate? RecallAtK { get; init; }

    /// <summary>Mean over users of per-request NDCG@K with binary gains; null without relevant counts.</summary>
    public MetricEstimate? NdcgAtK { get; init; }

    /// <summary>Distinct exposed items.</summary>
    public required int DistinctItems { get; init; }

    /// <summary>Distinct exposed items / catalogue size; null when the catalogue size is unknown.</summary>
    public double? Coverage { get; init; }

    /// <summary>Per-channel exposures and clicks.</summary>
    public required IReadOnlyDictionary<string, ChannelShare> Channels { get; init; }

    /// <summary>Figures per day.</summary>
    public required IReadOnlyList<DailyFigures> Daily { get; init; }

    /// <summary>
    /// Per event type seen in the layer ("click", "like", "share", "dwell"…): count, rate per exposure and per click
    /// (delta-method intervals) and, for dwell and complete, the mean value.
    /// </summary>
    public IReadOnlyDictionary<string, EventTypeRates> EventTypes { get; init; } = new Dictionary<string, EventTypeRates>();

    /// <summary>Mean over users of the days with a request (CUPED-adjusted when enabled); t interval.</summary>
    public MetricEstimate? ActiveDaysPerUser { get; init; }

    /// <summary>Mean over users of distinct items clicked or engaged with (CUPED-adjusted when enabled); t interval.</summary>
    public MetricEstimate? ItemsConsumedPerUser { get; init; }

    /// <summary>
    /// Day-N return rate by "day_N": of the (user, active day d) pairs with d + N inside the period, the share with the user
    /// also active on d + N; a ratio over users with a delta-method interval. Absent when the period is too short.
    /// </summary>
    public IReadOnlyDictionary<string, MetricEstimate> Retention { get; init; } = new Dictionary<string, MetricEstimate>();

    /// <summary>
    /// Every metric of the group as (estimate, variance of the estimate, users), keyed like <see cref="Lifts"/>: "ctr",
    /// "hit_rate", "clicks_per_user", "recall_at_k", "ndcg_at_k", "active_days_per_user", "items_consumed_per_user",
    /// "retention_day_N", "TYPE_per_exposure", "TYPE_per_click", "TYPE_mean_value". The input of tests between arms.
    /// </summary>
    public IReadOnlyDictionary<string, ArmEstimate> Estimates { get; init; } = new Dictionary<string, ArmEstimate>();

    /// <summary>
    /// Lift vs the control per metric ("ctr", "hit_rate", "clicks_per_user", "recall_at_k", "ndcg_at_k", and the keys of
    /// <see cref="Estimates"/> from the event types and user-level metrics); empty for controls.
    /// </summary>
    public required IReadOnlyDictionary<string, LiftEstimate> Lifts { get; init; }

    /// <summary>Anytime-valid lift vs the control per metric (same keys as <see cref="Lifts"/>), with the power figures; empty for controls.</summary>
    public IReadOnlyDictionary<string, SequentialLift> Sequential { get; init; } = new Dictionary<string, SequentialLift>();

    /// <summary>Ship / do not ship / keep running with the reason; null for controls and groups outside an experiment.</summary>
    public VariantDecision? Decision { get; init; }
}
