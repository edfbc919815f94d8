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
            Source = source,
            Dataset = dataset,
            ConfigVersions = users.Select(u => u.Assignment.ConfigVersion).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            Confidence = options.Confidence,
            Alpha = options.Alpha,
            Cuped = options.Cuped && log.PrePeriod is not null,
            K = users.SelectMany(u => u.Requests).Select(r => r.K).DefaultIfEmpty(0).Max(),
            Days = users.SelectMany(u => u.Requests).Select(r => r.Day).Distinct().Count(),
            Users = users.Count,
            Requests = requests,
            Exposures = (long)users.Sum(u => u.Exposures),
            Clicks = (long)users.Sum(u => u.Clicks),
            Layers = layers,
        };
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
        }

        return userOrder;
    }
}
