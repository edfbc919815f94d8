using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// Builds experiment logs with known truth: users split at random over groups of one layer (plus an optional
/// holdout), each exposed to <c>itemsPerRequest</c> items per day; item clicks are Bernoulli with the group's
/// click probability × a per-user propensity × position decay. Deterministic for a seed.
/// </summary>
internal static class SyntheticLogFactory
{
    public sealed record Group(string Experiment, string Variant, double Share, double ClickProbability, string Channel = "popular");

    public static ExperimentLog Build(int seed, int users, IReadOnlyList<Group> groups, int days = 1, int itemsPerRequest = 10,
        double holdoutShare = 0, double dropShareOfLast = 0, int catalog = 500)
    {
        var random = new Random(seed);
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        var relevant = new Dictionary<long, int>();
        var pre = new Dictionary<long, double>();
        var stamps = new Dictionary<(bool, int), AssignmentStamp>();
        for (long user = 1; user <= users; user++)
        {
            var holdout = random.NextDouble() < holdoutShare;
            var g = Pick(random, groups);
            var propensity = 0.2 + 1.6 * random.NextDouble();
            var drop = g == groups.Count - 1 && random.NextDouble() < dropShareOfLast;
            var group = groups[g];
            if (!stamps.TryGetValue((holdout, g), out var stamp))
            {
                var layer = holdout
                    ? new LayerStamp("recall", null, "holdout", 0, false)
                    : new LayerStamp("recall", group.Experiment, group.Variant, g, false);
                stamps[(holdout, g)] = stamp = new AssignmentStamp(holdout, "v1", [layer]);
            }

            // Pre-period: clicks over 30 items with the user's propensity and the baseline probability.
            var preClicks = 0;
            for (var i = 0; i < 30; i++)
            {
                preClicks += random.NextDouble() < 0.1 * propensity ? 1 : 0;
            }

            pre[user] = preClicks;
            relevant[user] = 1 + random.Next(5);
            if (drop)
            {
                continue;
            }

            var probability = holdout ? groups[0].ClickProbability : group.ClickProbability;
            for (var day = 0; day < days; day++)
            {
                var requestId = $"{user}-{day}";
                requests.Add(new RequestRecord(requestId, user, day, itemsPerRequest, stamp));
                var shown = new HashSet<long>();
                for (var position = 0; position < itemsPerRequest; position++)
                {
                    var item = random.Next(catalog);
                    if (!shown.Add(item))
                    {
                        continue;
                    }

                    exposures.Add(new ExposureRecord(requestId, user, day, item, position, group.Channel, stamp));
                    if (random.NextDouble() < probability * propensity / (1 + 0.1 * position))
                    {
                        clicks.Add(new ClickRecord(requestId, user, day, item, position, group.Channel, stamp));
                    }
                }
            }
        }

        return new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks, RelevantCounts = relevant, PrePeriod = pre, CatalogSize = catalog };
    }

    public static AnalysisOptions Options(IReadOnlyList<Group> groups, double holdoutShare = 0, bool cuped = false)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            shares[g.Experiment + "/" + g.Variant] = g.Share * (1 - holdoutShare);
        }

        var expected = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal) { ["recall"] = shares };
        if (holdoutShare > 0)
        {
            shares["holdout"] = holdoutShare;
            expected[ExperimentAnalyzer.HoldoutLayer] = new Dictionary<string, double> { ["holdout"] = holdoutShare, [ExperimentAnalyzer.RestLabel] = 1 - holdoutShare };
        }

        return new AnalysisOptions { ExpectedShares = expected, Cuped = cuped };
    }

    private static int Pick(Random random, IReadOnlyList<Group> groups)
    {
        var u = random.NextDouble() * groups.Sum(g => g.Share);
        for (var i = 0; i < groups.Count; i++)
        {
            u -= groups[i].Share;
            if (u < 0)
            {
                return i;
            }
        }

        return groups.Count - 1;
    }
}
