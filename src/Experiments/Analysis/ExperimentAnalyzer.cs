namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Turns an <see cref="ExperimentLog"/> into a <see cref="ComparisonReport"/>: per layer and group, user-level
/// metrics with intervals, lifts vs the control with Holm-adjusted p-values, and an SRM check. Pure and deterministic.
/// </summary>
public static class ExperimentAnalyzer
{
    /// <summary>Name of the pseudo layer comparing the global holdout ("holdout", the control) with everybody else ("rest").</summary>
    public const string HoldoutLayer = "holdout-vs-rest";

    /// <summary>Label of the non-holdout group in <see cref="HoldoutLayer"/>.</summary>
    public const string RestLabel = "rest";

    /// <summary>Analyses <paramref name="log"/>.</summary>
    public static ComparisonReport Analyze(ExperimentLog log, AnalysisOptions options, string source = "", string dataset = "")
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var users = Tally(log);
        var layerNames = new List<string>();
        foreach (var user in users)
        {
            foreach (var stamp in user.Assignment.Layers)
            {
                if (!layerNames.Contains(stamp.Layer, StringComparer.Ordinal))
                {
                    layerNames.Add(stamp.Layer);
                }
            }
        }

        var layers = new List<LayerReport>();
        foreach (var layer in layerNames)
        {
            layers.Add(LayerAnalyzer.Analyze(layer, users, u => u.Assignment.Layer(layer) is { } s ? (s.Label, s.ReverseBucket ? null : s.Experiment) : null, log, options));
        }

        if (users.Any(u => u.Assignment.Holdout))
        {
            layers.Add(LayerAnalyzer.Analyze(HoldoutLayer, users, u => (u.Assignment.Holdout ? "holdout" : RestLabel, null), log, options));
        }

        var requests = users.Sum(u => u.Requests.Count);
        return new ComparisonReport
        {
            Warnings = Warnings(log, options, users),
            Source = source,
            Dataset = dataset,
            ConfigVersions = users.Select(u => u.Assignment.ConfigVersion).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            Confidence = options.Confidence,
            Alpha = options.Alpha,
            Cuped = options.Cuped && log.PrePeriod is not null,
            RetentionDays = options.RetentionDays,
            K = users.SelectMany(u => u.Requests).Select(r => r.K).DefaultIfEmpty(0).Max(),
            Days = users.SelectMany(u => u.Requests).Select(r => r.Day).Distinct().Count(),
            Users = users.Count,
            Requests = requests,
            Exposures = (long)users.Sum(u => u.Exposures),
            Clicks = (long)users.Sum(u => u.Clicks),
            Layers = layers,
            Interleaving = Interleaving.InterleavingAnalyzer.Analyze(log, options.Alpha),
        };
    }

    private static List<string> Warnings(ExperimentLog log, AnalysisOptions options, List<UserTally> users)
    {
        var warnings = new List<string>();
        if (options.Cuped && log.PrePeriod is null)
        {
            warnings.Add("CUPED was asked for but cannot apply: the log has no pre-period (a logged-events file carries none), " +
                "so every figure is unadjusted.");
        }

        var days = users.SelectMany(u => u.ActiveDays).ToList();
        if (days.Count > 0)
        {
            var span = days.Max() - days.Min();
            foreach (var n in options.RetentionDays.Where(n => n > span))
            {
                warnings.Add($"Day-{n} retention needs a period longer than {n} day(s); the log covers {span + 1} day(s), so it has no value.");
            }
        }

        return warnings;
    }

    private static List<UserTally> Tally(ExperimentLog log)
    {
        var requests = new Dictionary<string, RequestTally>(StringComparer.Ordinal);
        var order = new List<RequestTally>();
        RequestTally Get(string id, long user, int day, int k, AssignmentStamp assignment)
        {
            if (!requests.TryGetValue(id, out var tally))
            {
                tally = new RequestTally(id, user, day, k, assignment);
                requests.Add(id, tally);
                order.Add(tally);
            }
            else if (tally.UserId != user)
            {
                throw new InvalidDataException($"Request '{id}' is logged for user {tally.UserId} and for user {user}.");
            }

            return tally;
        }

        foreach (var r in log.Requests)
        {
            Get(r.RequestId, r.UserId, r.Day, r.K, r.Assignment).K = r.K;
        }

        foreach (var e in log.Exposures)
        {
            Get(e.RequestId, e.UserId, e.Day, 0, e.Assignment).Exposed.TryAdd(e.ItemId, (e.Position, e.Channel));
        }

        foreach (var c in log.Clicks)
        {
            // A click counts only on an item exposed in that request; duplicates count once.
            if (requests.TryGetValue(c.RequestId, out var tally) && tally.Exposed.ContainsKey(c.ItemId))
            {
                tally.Clicked.Add(c.ItemId);
            }
        }

        foreach (var g in log.Engagements)
        {
            // Like clicks: only on an item exposed in that request; a repeated (item, type) counts once, with its largest value.
            if (requests.TryGetValue(g.RequestId, out var tally) && tally.Exposed.ContainsKey(g.ItemId))
            {
                var key = (g.ItemId, g.Type);
                tally.Engaged[key] = Math.Max(tally.Engaged.GetValueOrDefault(key, double.NegativeInfinity), g.Value ?? 0);
            }
        }

        var users = new Dictionary<long, UserTally>();
        var userOrder = new List<UserTally>();
        foreach (var request in order)
        {
            if (!users.TryGetValue(request.UserId, out var user))
            {
                user = new UserTally(request.UserId, request.Assignment);
                users.Add(request.UserId, user);
                userOrder.Add(user);
            }

            user.Requests.Add(request);
        }

        foreach (var user in userOrder)
        {
            user.Exposures = user.Requests.Sum(r => r.Exposed.Count);
            user.Clicks = user.Requests.Sum(r => r.Clicked.Count);
            if (log.RelevantCounts is { } relevant)
            {
                var rel = relevant.GetValueOrDefault(user.UserId);
                if (rel > 0)
                {
                    user.Recall = user.Requests.Average(r => r.Recall(rel)!.Value);
                    user.Ndcg = user.Requests.Average(r => r.Ndcg(rel)!.Value);
                }
            }

            user.PrePeriod = log.PrePeriod?.GetValueOrDefault(user.UserId) ?? 0;
            var consumed = new HashSet<long>();
            foreach (var request in user.Requests)
            {
                user.ActiveDays.Add(request.Day);
                consumed.UnionWith(request.Clicked);
                foreach (var ((item, type), value) in request.Engaged)
                {
                    consumed.Add(item);
                    var (count, sum) = user.Engagements.GetValueOrDefault(type);
                    user.Engagements[type] = (count + 1, sum + value);
                }
            }

            user.ItemsConsumed = consumed.Count;
        }

        return userOrder;
    }
}
