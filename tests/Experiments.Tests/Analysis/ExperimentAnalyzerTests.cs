using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

public sealed class ExperimentAnalyzerTests
{
    private static readonly SyntheticLogFactory.Group[] AA =
    [
        new("exp", "control", 0.5, 0.08),
        new("exp", "treatment", 0.5, 0.08),
    ];

    [Fact]
    public void AATestShowsNoSignificantDifferenceInTheLargeMajorityOfSeedsAndNoSrm()
    {
        // 40 seeds at alpha 0.05: about 2 false positives are expected per metric; more than 6 has probability < 1 %
        // for each metric's test (delta-method z, two-proportion z, Welch t on clicks and on recall).
        string[] metrics = ["ctr", "hit_rate", "clicks_per_user", "recall_at_k"];
        var falsePositives = metrics.ToDictionary(m => m, _ => 0);
        var srm = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(seed, 600, AA), SyntheticLogFactory.Options(AA));
            var layer = Assert.Single(report.Layers);
            var treatment = layer.Variants.Single(v => v.Variant == "exp/treatment");
            foreach (var metric in metrics)
            {
                falsePositives[metric] += treatment.Lifts[metric].Significant ? 1 : 0;
            }

            srm += layer.SrmFlagged ? 1 : 0;
        }

        Assert.All(falsePositives, f => Assert.InRange(f.Value, 0, 6));
        Assert.InRange(srm, 0, 1);
    }

    [Fact]
    public void PlantedWorseVariantIsDetectedWithNegativeSign()
    {
        SyntheticLogFactory.Group[] groups = [new("exp", "control", 0.5, 0.10), new("exp", "treatment", 0.5, 0.06, "itemcf")];
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(7, 1500, groups), SyntheticLogFactory.Options(groups));
        var treatment = report.Layers[0].Variants.Single(v => v.Variant == "exp/treatment");
        var ctr = treatment.Lifts["ctr"];
        Assert.True(ctr.Significant, $"p = {ctr.PValue}");
        Assert.True(ctr.Absolute < 0 && ctr.AbsoluteCiHigh < 0, $"lift {ctr.Absolute} [{ctr.AbsoluteCiLow}, {ctr.AbsoluteCiHigh}]");
        Assert.InRange(ctr.Relative!.Value, -0.6, -0.2);
        Assert.True(treatment.Lifts["clicks_per_user"].Absolute < 0);
        Assert.Equal("exp/control", ctr.Control);
        Assert.Equal(1.0, treatment.Channels["itemcf"].ExposureShare);
        Assert.False(report.Layers[0].SrmFlagged);
    }

    [Fact]
    public void DroppingAShareOfOneVariantsUsersIsFlaggedAsSrm()
    {
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(3, 4000, AA, dropShareOfLast: 0.2), SyntheticLogFactory.Options(AA));
        var layer = report.Layers[0];
        Assert.True(layer.SrmFlagged);
        Assert.True(layer.SrmPValue < 0.001, $"p = {layer.SrmPValue}");
        Assert.Contains("SAMPLE RATIO MISMATCH", layer.SrmMessage, StringComparison.Ordinal);
        Assert.Contains("exp/treatment", layer.SrmMessage, StringComparison.Ordinal);
        Assert.True(report.AnySrm);
    }

    [Fact]
    public void HoldoutIsComparedWithTheRestAndCountedInSrm()
    {
        SyntheticLogFactory.Group[] groups = [new("exp", "control", 0.5, 0.08), new("exp", "treatment", 0.5, 0.08)];
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(11, 1000, groups, holdoutShare: 0.1), SyntheticLogFactory.Options(groups, 0.1));
        Assert.Equal(2, report.Layers.Count);
        Assert.Contains(report.Layers[0].Variants, v => v.Variant == "holdout");
        var pseudo = report.Layers[1];
        Assert.Equal(ExperimentAnalyzer.HoldoutLayer, pseudo.Layer);
        Assert.True(pseudo.Variants.Single(v => v.Variant == "holdout").IsControl);
        Assert.Equal("holdout", pseudo.Variants.Single(v => v.Variant == ExperimentAnalyzer.RestLabel).Lifts["ctr"].Control);
        Assert.False(pseudo.SrmFlagged);
        Assert.Equal(report.Users, pseudo.Variants.Sum(v => v.Users));
    }

    [Fact]
    public void SeveralVariantsGetHolmAdjustedPValues()
    {
        SyntheticLogFactory.Group[] groups =
            [new("exp", "control", 0.34, 0.08), new("exp", "a", 0.33, 0.08), new("exp", "b", 0.33, 0.08)];
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(5, 900, groups), SyntheticLogFactory.Options(groups));
        var lifts = report.Layers[0].Variants.Where(v => !v.IsControl).Select(v => v.Lifts["ctr"]).ToList();
        Assert.Equal(2, lifts.Count);
        var expected = ExperimentStatistics.Holm(lifts.Select(l => l.PValue).ToList());
        Assert.Equal(expected, lifts.Select(l => l.PValueAdjusted));
        Assert.All(lifts, l => Assert.True(l.PValueAdjusted >= l.PValue));
    }

    [Fact]
    public void CupedShrinksTheIntervalOfClicksPerUser()
    {
        var log = SyntheticLogFactory.Build(9, 1500, AA, days: 3);
        var plain = ExperimentAnalyzer.Analyze(log, SyntheticLogFactory.Options(AA));
        var cuped = ExperimentAnalyzer.Analyze(log, SyntheticLogFactory.Options(AA, cuped: true));
        var se = plain.Layers[0].Variants[1].Lifts["clicks_per_user"];
        var seCuped = cuped.Layers[0].Variants[1].Lifts["clicks_per_user"];
        Assert.True(cuped.Cuped);
        Assert.True(cuped.Layers[0].CupedVarianceReduction > 0.01, $"reduction {cuped.Layers[0].CupedVarianceReduction}");
        Assert.True(seCuped.AbsoluteCiHigh - seCuped.AbsoluteCiLow < se.AbsoluteCiHigh - se.AbsoluteCiLow);
    }

    [Fact]
    public void CountsAndRankingMetricsFollowTheLog()
    {
        var stamp = new AssignmentStamp(false, "v1", [new LayerStamp("recall", "exp", "control", 1, false)]);
        ExposureRecord E(string r, long u, long item, int pos) => new(r, u, 0, item, pos, pos == 0 ? "popular" : "itemcf", stamp);
        var log = new ExperimentLog
        {
            Exposures = [E("r1", 1, 10, 0), E("r1", 1, 11, 1), E("r2", 2, 10, 0), E("r2", 2, 12, 1)],
            // User 1 clicks position 1; user 2 clicks an item never exposed (ignored) and position 0 twice (counted once).
            Clicks =
            [
                new ClickRecord("r1", 1, 0, 11, 1, "itemcf", stamp), new ClickRecord("r2", 2, 0, 99, 5, "x", stamp),
                new ClickRecord("r2", 2, 0, 10, 0, "popular", stamp), new ClickRecord("r2", 2, 0, 10, 0, "popular", stamp),
            ],
            RelevantCounts = new Dictionary<long, int> { [1] = 2, [2] = 1 },
            CatalogSize = 10,
        };
        var v = ExperimentAnalyzer.Analyze(log, new AnalysisOptions()).Layers[0].Variants[0];
        Assert.Equal((2, 2, 4L, 2L, 3), (v.Users, v.Requests, v.Exposures, v.Clicks, v.DistinctItems));
        Assert.Equal(0.5, v.Ctr.Value, 12);
        Assert.Equal(1.0, v.HitRate.Value, 12);
        Assert.Equal(0.3, v.Coverage!.Value, 12);
        // recall: user 1 = 1/2, user 2 = 1/1 → 0.75. NDCG: user 1 = (1/log2 3) / (1 + 1/log2 3), user 2 = 1.
        Assert.Equal(0.75, v.RecallAtK!.Value, 12);
        var ndcg1 = 1 / Math.Log2(3) / (1 + 1 / Math.Log2(3));
        Assert.Equal((ndcg1 + 1) / 2, v.NdcgAtK!.Value, 12);
        Assert.Equal(0.5, v.Channels["popular"].ExposureShare, 12);
        Assert.Equal(0.5, v.Channels["itemcf"].ClickShare, 12);
        Assert.Single(v.Daily);
    }

    [Fact]
    public void LaunchedDefaultIsComparedWithTheReverseBucket()
    {
        var launched = new AssignmentStamp(false, "v2", [new LayerStamp("recall", null, "default", 5, false)]);
        var reverse = new AssignmentStamp(false, "v2", [new LayerStamp("recall", "exp", "reverse", 900, true)]);
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        for (long user = 1; user <= 400; user++)
        {
            var stamp = user % 10 == 0 ? reverse : launched;
            for (var position = 0; position < 4; position++)
            {
                exposures.Add(new ExposureRecord($"r{user}", user, 0, position, position, "popular", stamp));
                if ((user + position) % (stamp == launched ? 3 : 6) == 0)
                {
                    clicks.Add(new ClickRecord($"r{user}", user, 0, position, position, "popular", stamp));
                }
            }
        }

        var shares = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["recall"] = new Dictionary<string, double> { ["default"] = 0.9, ["reverse"] = 0.1 } };
        var layer = ExperimentAnalyzer.Analyze(new ExperimentLog { Exposures = exposures, Clicks = clicks }, new AnalysisOptions { ExpectedShares = shares }).Layers.Single();

        Assert.Equal(["default", "reverse"], layer.Variants.Select(v => v.Variant));
        Assert.True(layer.Variants[1].IsControl);
        var lift = layer.Variants[0].Lifts["ctr"];
        Assert.Equal("reverse", lift.Control);
        Assert.True(lift.Absolute > 0);
        Assert.False(layer.SrmFlagged);
    }
}
