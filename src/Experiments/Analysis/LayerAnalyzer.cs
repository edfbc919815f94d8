using System.Globalization;

namespace RecFramework.Experiments.Analysis;

/// <summary>Analyses one layer: groups its users, computes every group's figures, lifts, Holm correction and SRM.</summary>
internal static class LayerAnalyzer
{
    public static LayerReport Analyze(string layer, List<UserTally> allUsers, Func<UserTally, (string Label, string? Experiment)?> group,
        ExperimentLog log, AnalysisOptions options)
    {
        var groups = new Dictionary<string, List<UserTally>>(StringComparer.Ordinal);
        var experiments = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var user in allUsers)
        {
            if (group(user) is not { } g)
            {
                continue;
            }

            if (!groups.TryGetValue(g.Label, out var list))
            {
                groups[g.Label] = list = [];
                experiments[g.Label] = g.Experiment;
            }

            list.Add(user);
        }

        var layerUsers = groups.Values.SelectMany(l => l).ToList();
        var cuped = options.Cuped && log.PrePeriod is not null;
        var pre = layerUsers.Select(u => u.PrePeriod).ToArray();
        var preMean = pre.Length > 0 ? pre.Average() : 0;
        var thetaClicks = cuped ? ExperimentStatistics.CupedTheta(layerUsers.Select(u => u.Clicks).ToArray(), pre) : 0;
        // Recall and NDCG exist only for users with held-out items: their θ and centring use that subset, so the
        // adjusted group means stay unbiased estimates of the raw means (Σ θ(X − X̄) = 0 over the subset).
        var withRecall = layerUsers.Where(u => u.Recall.HasValue).ToList();
        var preRecall = withRecall.Select(u => u.PrePeriod).ToArray();
        var preMeanRanked = preRecall.Length > 0 ? preRecall.Average() : 0;
        var thetaRecall = cuped ? ExperimentStatistics.CupedTheta(withRecall.Select(u => u.Recall!.Value).ToArray(), preRecall) : 0;
        var thetaNdcg = cuped ? ExperimentStatistics.CupedTheta(withRecall.Select(u => u.Ndcg!.Value).ToArray(), preRecall) : 0;

        var thetaActiveDays = cuped ? ExperimentStatistics.CupedTheta(layerUsers.Select(u => (double)u.ActiveDays.Count).ToArray(), pre) : 0;
        var thetaItems = cuped ? ExperimentStatistics.CupedTheta(layerUsers.Select(u => u.ItemsConsumed).ToArray(), pre) : 0;
        var covariate = new CupedCovariate(preMean, thetaClicks, preMeanRanked, thetaRecall, thetaNdcg, thetaActiveDays, thetaItems);
        var types = EventTypes(layerUsers);
        var lastDay = allUsers.SelectMany(u => u.ActiveDays.Count > 0 ? [u.ActiveDays.Max] : Array.Empty<int>()).DefaultIfEmpty(0).Max();
        var userLevel = groups.ToDictionary(g => g.Key, g => new UserLevelStats(g.Value, covariate, types, options.RetentionDays, lastDay), StringComparer.Ordinal);

        double? varianceReduction = null;
        if (cuped && layerUsers.Count > 1)
        {
            var raw = SampleSummary.Of(layerUsers.Select(u => u.Clicks).ToArray()).Variance;
            var adjusted = SampleSummary.Of(layerUsers.Select(u => u.Clicks - thetaClicks * (u.PrePeriod - preMean)).ToArray()).Variance;
            varianceReduction = raw > 0 ? 1 - adjusted / raw : 0;
        }

        var labels = OrderLabels(groups.Keys, experiments);
        var controls = labels.ToDictionary(l => l, l => ControlOf(l, experiments[l], labels, experiments, options), StringComparer.Ordinal);
        var stats = labels.ToDictionary(l => l, l => new GroupStats(groups[l], covariate), StringComparer.Ordinal);
        var expected = options.ExpectedShares.GetValueOrDefault(layer);
        var expectedSum = expected?.Values.Sum() ?? 0;

        var variants = new List<VariantReport>();
        foreach (var label in labels)
        {
            var s = stats[label];
            var lifts = new Dictionary<string, LiftEstimate>(StringComparer.Ordinal);
            if (controls[label] is { } control)
            {
                var c = stats[control];
                var conf = options.Confidence;
                lifts["ctr"] = ExperimentStatistics.RatioTest(s.Ctr, c.Ctr, control, conf);
                lifts["hit_rate"] = ExperimentStatistics.TwoProportionTest(s.HitUsers, s.Users.Count, c.HitUsers, c.Users.Count, control, conf);
                lifts["clicks_per_user"] = ExperimentStatistics.WelchTest(s.ClicksPerUser, c.ClicksPerUser, control, conf);
                if (s.Recall is { Count: > 0 } rt && c.Recall is { Count: > 0 } rc)
                {
                    lifts["recall_at_k"] = ExperimentStatistics.WelchTest(rt, rc, control, conf);
                    lifts["ndcg_at_k"] = ExperimentStatistics.WelchTest(s.Ndcg!.Value, c.Ndcg!.Value, control, conf);
                }

                AddUserLevelLifts(lifts, userLevel[label], userLevel[control], control, conf);
            }

            variants.Add(s.ToReport(label, experiments[label], labels.Any(l => controls[l] == label), layerUsers.Count,
                expected is not null && expectedSum > 0 ? expected.GetValueOrDefault(label) / expectedSum : null, lifts, log.CatalogSize, options.Confidence,
                userLevel[label], options.RetentionDays));
        }

        ApplyHolm(variants, options.Alpha);
        var (chi, df, p, flagged, message) = Srm(labels, groups, expected, options.SrmThreshold);
        var sequentialSrm = SequentialSrm(labels, groups, expected, options);
        if (sequentialSrm is { Flagged: true } && !flagged)
        {
            (flagged, message) = (true, string.Create(CultureInfo.InvariantCulture,
                $"SAMPLE RATIO MISMATCH: sequential check (Dirichlet-multinomial Bayes factor) always-valid p = {sequentialSrm.PValue:G3} < {options.SrmThreshold}."));
        }

        var days = layerUsers.SelectMany(u => u.Requests).Select(r => r.Day).Distinct().Count();
        for (var i = 0; i < variants.Count; i++)
        {
            var control = controls[variants[i].Variant];
            variants[i] = SequentialAnalyzer.Apply(variants[i], control is null ? 0 : groups[control].Count, days, flagged, options);
        }
        return new LayerReport
        {
            Layer = layer,
            Users = layerUsers.Count,
            Variants = variants,
            SrmChiSquare = chi,
            SrmDegreesOfFreedom = df,
            SrmPValue = p,
            SrmFlagged = flagged,
            SrmMessage = message,
            SequentialSrm = sequentialSrm,
            CupedVarianceReduction = varianceReduction,
        };
    }

    private static List<string> OrderLabels(IEnumerable<string> labels, Dictionary<string, string?> experiments)
    {
        static int Rank(string label, string? experiment) => experiment is not null ? 0 : label switch
        {
            "default" => 1,
            "reverse" => 2,
            ExperimentAnalyzer.RestLabel => 3,
            _ => 4,
        };

        return labels.OrderBy(l => Rank(l, experiments[l])).ThenBy(l => experiments[l] ?? "", StringComparer.Ordinal)
            .ThenBy(l => l, StringComparer.Ordinal).ToList();
    }

    private static string? ControlOf(string label, string? experiment, List<string> labels, Dictionary<string, string?> experiments, AnalysisOptions options)
    {
        if (experiment is not null)
        {
            var siblings = labels.Where(l => experiments[l] == experiment).ToList();
            var control = siblings.FirstOrDefault(l => l == experiment + "/" + options.ControlVariant) ?? siblings[0];
            return control == label ? null : control;
        }

        return label switch
        {
            // Launched configuration vs the reverse bucket kept on the old one.
            "default" when labels.Contains("reverse") => "reverse",
            ExperimentAnalyzer.RestLabel when labels.Contains("holdout") => "holdout",
            _ => null,
        };
    }

    /// <summary>Event types seen among <paramref name="users"/>: click first, then the others in <see cref="InteractionTypes.Names"/> order.</summary>
    private static List<string> EventTypes(List<UserTally> users)
    {
        var seen = users.SelectMany(u => u.Engagements.Keys).ToHashSet(StringComparer.Ordinal);
        int Rank(string type) => InteractionTypes.TryParse(type, out var t) ? (int)t : int.MaxValue;
        return [UserLevelStats.Click, .. seen.Where(t => t != UserLevelStats.Click).OrderBy(Rank).ThenBy(t => t, StringComparer.Ordinal)];
    }

    /// <summary>Welch tests of the user-level means and delta-method tests of the ratios (per-type rates, retention).</summary>
    private static void AddUserLevelLifts(Dictionary<string, LiftEstimate> lifts, UserLevelStats treatment, UserLevelStats control, string controlLabel, double confidence)
    {
        foreach (var (key, mean) in treatment.Means)
        {
            lifts[key] = ExperimentStatistics.WelchTest(mean, control.Means[key], controlLabel, confidence);
        }

        foreach (var (key, ratio) in treatment.Ratios)
        {
            if (key != UserLevelStats.PerExposureKey(UserLevelStats.Click) && control.Ratios.TryGetValue(key, out var c))
            {
                lifts[key] = ExperimentStatistics.RatioTest(ratio, c, controlLabel, confidence);
            }
        }
    }

    /// <summary>Holm's correction per metric, over the layer's comparisons on that metric.</summary>
    private static void ApplyHolm(List<VariantReport> variants, double alpha)
    {
        foreach (var metric in variants.SelectMany(v => v.Lifts.Keys).Distinct(StringComparer.Ordinal).ToList())
        {
            var family = variants.Where(v => v.Lifts.ContainsKey(metric)).Select(v => v.Lifts[metric]).ToList();
            var adjusted = ExperimentStatistics.Holm(family.Select(l => l.PValue).ToList());
            for (var i = 0; i < family.Count; i++)
            {
                family[i].PValueAdjusted = adjusted[i];
                family[i].Significant = adjusted[i] < alpha;
            }
        }
    }

    private static SequentialSrmCheck? SequentialSrm(List<string> labels, Dictionary<string, List<UserTally>> groups,
        IReadOnlyDictionary<string, double>? expected, AnalysisOptions options)
    {
        if (expected is null || expected.Count == 0)
        {
            return null;
        }

        var keys = expected.Keys.Union(labels, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return SequentialStatistics.SampleRatio(keys.Select(k => (long)(groups.TryGetValue(k, out var g) ? g.Count : 0)).ToList(),
            keys.Select(k => expected.GetValueOrDefault(k)).ToList(), options.SrmConcentration, options.SrmThreshold);
    }

    private static (double?, int?, double?, bool, string?) Srm(List<string> labels, Dictionary<string, List<UserTally>> groups,
        IReadOnlyDictionary<string, double>? expected, double threshold)
    {
        if (expected is null || expected.Count == 0)
        {
            return (null, null, null, false, null);
        }

        var keys = expected.Keys.Union(labels, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var observed = keys.Select(k => (long)(groups.TryGetValue(k, out var g) ? g.Count : 0)).ToList();
        var shares = keys.Select(k => expected.GetValueOrDefault(k)).ToList();
        var (chi, df, p) = ExperimentStatistics.ChiSquareGoodnessOfFit(observed, shares);
        var unexpected = labels.Where(l => expected.GetValueOrDefault(l) <= 0).ToList();
        string? message = null;
        if (unexpected.Count > 0)
        {
            message = $"SAMPLE RATIO MISMATCH: groups not in the configuration received users: {string.Join(", ", unexpected)}.";
        }
        else if (p < threshold)
        {
            var total = observed.Sum();
            var shareSum = shares.Sum();
            var detail = string.Join("; ", keys.Select((k, i) => string.Create(CultureInfo.InvariantCulture, $"'{k}' {observed[i]} observed vs {total * shares[i] / shareSum:F0} expected")));
            message = string.Create(CultureInfo.InvariantCulture, $"SAMPLE RATIO MISMATCH: chi-square {chi:F1} (df {df}), p = {p:G3} < {threshold}: {detail}.");
        }

        return (double.IsInfinity(chi) ? null : chi, df, p, message is not null, message);
    }
}
