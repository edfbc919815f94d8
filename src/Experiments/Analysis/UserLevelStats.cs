namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The event-type and user-level figures of one group: per-type rates per exposure and per click, the mean value of
/// dwell and complete events, active days and items consumed per user (CUPED-adjusted when on), and day-N retention.
/// Every figure is either a mean over users (<see cref="Means"/>) or a ratio of sums over users with its delta-method
/// variance (<see cref="Ratios"/>), keyed by the metric name its lifts and <see cref="VariantReport.Estimates"/> use.
/// </summary>
internal sealed class UserLevelStats
{
    public const string Click = "click";
    public const string ActiveDaysKey = "active_days_per_user";
    public const string ItemsConsumedKey = "items_consumed_per_user";

    public UserLevelStats(List<UserTally> users, CupedCovariate cuped, IReadOnlyList<string> types, IReadOnlyList<int> retentionDays, int lastDay)
    {
        var exposures = users.Select(u => u.Exposures).ToArray();
        var clicks = users.Select(u => u.Clicks).ToArray();
        foreach (var type in types)
        {
            var counts = users.Select(u => type == Click ? u.Clicks : u.Engagements.GetValueOrDefault(type).Count).ToArray();
            Counts[type] = (long)counts.Sum();
            Ratios[PerExposureKey(type)] = RatioSummary.Of(counts, exposures);
            if (type != Click)
            {
                Ratios[PerClickKey(type)] = RatioSummary.Of(counts, clicks);
            }

            if (InteractionTypes.TryParse(type, out var kind) && kind.TakesValue())
            {
                Ratios[MeanValueKey(type)] = RatioSummary.Of(users.Select(u => u.Engagements.GetValueOrDefault(type).ValueSum).ToArray(), counts);
            }
        }

        Means[ActiveDaysKey] = SampleSummary.Of(users.Select(u => u.ActiveDays.Count - cuped.ThetaActiveDays * (u.PrePeriod - cuped.PreMean)).ToArray());
        Means[ItemsConsumedKey] = SampleSummary.Of(users.Select(u => u.ItemsConsumed - cuped.ThetaItems * (u.PrePeriod - cuped.PreMean)).ToArray());
        foreach (var n in retentionDays)
        {
            var returned = new double[users.Count];
            var eligible = new double[users.Count];
            for (var i = 0; i < users.Count; i++)
            {
                (returned[i], eligible[i]) = Returns(users[i].ActiveDays, n, lastDay);
            }

            if (eligible.Any(e => e > 0))
            {
                Ratios[RetentionKey(n)] = RatioSummary.Of(returned, eligible);
            }
        }
    }

    /// <summary>Events per type on exposed items (click first).</summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-user means by metric name.</summary>
    public Dictionary<string, SampleSummary> Means { get; } = new(StringComparer.Ordinal);

    /// <summary>Ratios of sums over users by metric name.</summary>
    public Dictionary<string, RatioSummary> Ratios { get; } = new(StringComparer.Ordinal);

    public static string PerExposureKey(string type) => type + "_per_exposure";

    public static string PerClickKey(string type) => type + "_per_click";

    public static string MeanValueKey(string type) => type + "_mean_value";

    public static string RetentionKey(int n) => $"retention_day_{n}";

    /// <summary>
    /// A user's day-N return pairs: of the active days d with d + N inside the period (d + N ≤ <paramref name="lastDay"/>),
    /// how many are followed by activity on d + N, and how many there are.
    /// </summary>
    public static (double Returned, double Eligible) Returns(SortedSet<int> activeDays, int n, int lastDay)
    {
        double returned = 0, eligible = 0;
        foreach (var day in activeDays)
        {
            if (day + n > lastDay)
            {
                break;
            }

            eligible++;
            returned += activeDays.Contains(day + n) ? 1 : 0;
        }

        return (returned, eligible);
    }

    public IReadOnlyDictionary<string, EventTypeRates> TypeRates(double confidence) => Counts.ToDictionary(
        kv => kv.Key,
        kv => new EventTypeRates(
            kv.Value,
            ExperimentStatistics.RatioInterval(Ratios[PerExposureKey(kv.Key)], confidence),
            Ratios.TryGetValue(PerClickKey(kv.Key), out var perClick) ? ExperimentStatistics.RatioInterval(perClick, confidence) : null,
            Ratios.TryGetValue(MeanValueKey(kv.Key), out var mean) ? ExperimentStatistics.RatioInterval(mean, confidence) : null),
        StringComparer.Ordinal);

    public IReadOnlyDictionary<string, MetricEstimate> Retention(IReadOnlyList<int> retentionDays, double confidence) => retentionDays
        .Where(n => Ratios.ContainsKey(RetentionKey(n)))
        .ToDictionary(n => $"day_{n}", n => ExperimentStatistics.RatioInterval(Ratios[RetentionKey(n)], confidence), StringComparer.Ordinal);
}
