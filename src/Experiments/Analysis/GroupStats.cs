namespace RecFramework.Experiments.Analysis;

/// <summary>User-level summaries of one group of a layer.</summary>
internal sealed class GroupStats
{
    public GroupStats(List<UserTally> users, CupedCovariate cuped)
    {
        Users = users;
        Ctr = RatioSummary.Of(users.Select(u => u.Clicks).ToArray(), users.Select(u => u.Exposures).ToArray());
        HitUsers = users.Count(u => u.Clicks > 0);
        ClicksPerUser = SampleSummary.Of(users.Select(u => u.Clicks - cuped.ThetaClicks * (u.PrePeriod - cuped.PreMean)).ToArray());
        var withRecall = users.Where(u => u.Recall.HasValue).ToList();
        if (withRecall.Count > 0 || users.Any(u => u.Ndcg.HasValue))
        {
            Recall = SampleSummary.Of(withRecall.Select(u => u.Recall!.Value - cuped.ThetaRecall * (u.PrePeriod - cuped.PreMeanRanked)).ToArray());
            Ndcg = SampleSummary.Of(withRecall.Select(u => u.Ndcg!.Value - cuped.ThetaNdcg * (u.PrePeriod - cuped.PreMeanRanked)).ToArray());
        }
    }

    public List<UserTally> Users { get; }

    public RatioSummary Ctr { get; }

    public int HitUsers { get; }

    public SampleSummary ClicksPerUser { get; }

    public SampleSummary? Recall { get; }

    public SampleSummary? Ndcg { get; }

    public VariantReport ToReport(string label, string? experiment, bool isControl, int layerUsers, double? expectedShare,
        Dictionary<string, LiftEstimate> lifts, int catalogSize, double confidence, UserLevelStats? userLevel = null, IReadOnlyList<int>? retentionDays = null)
    {
        var requests = Users.SelectMany(u => u.Requests).ToList();
        var channels = new SortedDictionary<string, (long E, long C)>(StringComparer.Ordinal);
        var items = new HashSet<long>();
        foreach (var request in requests)
        {
            foreach (var (item, (_, channel)) in request.Exposed)
            {
                items.Add(item);
                var (e, c) = channels.GetValueOrDefault(channel);
                channels[channel] = (e + 1, c + (request.Clicked.Contains(item) ? 1 : 0));
            }
        }

        long exposures = requests.Sum(r => r.Exposed.Count), clicks = requests.Sum(r => r.Clicked.Count);
        return new VariantReport
        {
            Variant = label,
            Experiment = experiment,
            IsControl = isControl,
            Users = Users.Count,
            ObservedShare = layerUsers > 0 ? (double)Users.Count / layerUsers : 0,
            ExpectedShare = expectedShare,
            Requests = requests.Count,
            Exposures = exposures,
            Clicks = clicks,
            Ctr = ExperimentStatistics.RatioInterval(Ctr, confidence),
            HitRate = ExperimentStatistics.WilsonInterval(HitUsers, Users.Count, confidence),
            ClicksPerUser = ExperimentStatistics.MeanInterval(ClicksPerUser, confidence),
            RecallAtK = Recall is { } r ? ExperimentStatistics.MeanInterval(r, confidence) : null,
            NdcgAtK = Ndcg is { } n ? ExperimentStatistics.MeanInterval(n, confidence) : null,
            DistinctItems = items.Count,
            Coverage = catalogSize > 0 ? (double)items.Count / catalogSize : null,
            Channels = channels.ToDictionary(kv => kv.Key, kv => new ChannelShare(kv.Value.E, kv.Value.C,
                exposures > 0 ? (double)kv.Value.E / exposures : 0, clicks > 0 ? (double)kv.Value.C / clicks : 0), StringComparer.Ordinal),
            Daily = Daily(requests, confidence),
            Lifts = lifts,
            EventTypes = userLevel?.TypeRates(confidence) ?? new Dictionary<string, EventTypeRates>(),
            ActiveDaysPerUser = userLevel is null ? null : ExperimentStatistics.MeanInterval(userLevel.Means[UserLevelStats.ActiveDaysKey], confidence),
            ItemsConsumedPerUser = userLevel is null ? null : ExperimentStatistics.MeanInterval(userLevel.Means[UserLevelStats.ItemsConsumedKey], confidence),
            Retention = userLevel?.Retention(retentionDays ?? [], confidence) ?? new Dictionary<string, MetricEstimate>(),
            Estimates = Estimates(userLevel),
        };
    }

    /// <summary>Every metric as (estimate, variance of the estimate, users).</summary>
    private Dictionary<string, ArmEstimate> Estimates(UserLevelStats? userLevel)
    {
        var n = Users.Count;
        var hit = n > 0 ? (double)HitUsers / n : 0;
        var estimates = new Dictionary<string, ArmEstimate>(StringComparer.Ordinal)
        {
            ["ctr"] = ArmEstimate.Of(Ctr),
            ["hit_rate"] = new ArmEstimate(hit, n > 0 ? hit * (1 - hit) / n : 0, n),
            ["clicks_per_user"] = ArmEstimate.Of(ClicksPerUser),
        };
        if (Recall is { } recall && Ndcg is { } ndcg)
        {
            estimates["recall_at_k"] = ArmEstimate.Of(recall);
            estimates["ndcg_at_k"] = ArmEstimate.Of(ndcg);
        }

        foreach (var (key, mean) in userLevel?.Means ?? [])
        {
            estimates[key] = ArmEstimate.Of(mean);
        }

        foreach (var (key, ratio) in userLevel?.Ratios ?? [])
        {
            estimates[key] = ArmEstimate.Of(ratio);
        }

        return estimates;
    }

    private static List<DailyFigures> Daily(List<RequestTally> requests, double confidence)
    {
        var days = new List<DailyFigures>();
        foreach (var day in requests.GroupBy(r => r.Day).OrderBy(g => g.Key))
        {
            var perUser = day.GroupBy(r => r.UserId).Select(g => (C: (double)g.Sum(r => r.Clicked.Count), E: (double)g.Sum(r => r.Exposed.Count))).ToList();
            var ratio = RatioSummary.Of(perUser.Select(u => u.C).ToArray(), perUser.Select(u => u.E).ToArray());
            var exposures = (long)perUser.Sum(u => u.E);
            days.Add(new DailyFigures(day.Key, perUser.Count, day.Count(), exposures, (long)perUser.Sum(u => u.C),
                exposures > 0 ? ExperimentStatistics.RatioInterval(ratio, confidence) : null));
        }

        return days;
    }
}
