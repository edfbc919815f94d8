using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// The analyzer end to end on an 11-user fixture against values computed independently in pure Python (formulas in
/// docs/comparison.md; Student t and chi-square from the regularised incomplete beta and gamma functions, normal from
/// erfc): every interval, lift, statistic and p-value of the report, with and without CUPED.
/// </summary>
public sealed class HandComputedReportTests
{
    private const double Tolerance = 1e-9;

    // (exposures, clicks, pre-period metric); clicks are the first positions; each user has clicks + 1 relevant items.
    private static readonly (int E, int C, double X)[] Control = [(10, 1, 3), (10, 0, 1), (8, 2, 4), (10, 1, 2), (6, 0, 0)];
    private static readonly (int E, int C, double X)[] Treatment = [(10, 3, 5), (10, 2, 2), (9, 1, 1), (10, 4, 6), (7, 0, 2), (10, 2, 3)];

    [Fact]
    public void EveryFigureMatchesTheHandComputedValues()
    {
        var layer = Analyze(cuped: false);
        var control = layer.Variants.Single(v => v.Variant == "exp/control");
        var treatment = layer.Variants.Single(v => v.Variant == "exp/treatment");
        Assert.True(control.IsControl);
        Assert.Equal((5, 5, 44L, 4L), (control.Users, control.Requests, control.Exposures, control.Clicks));
        Assert.Equal((6, 6, 56L, 12L), (treatment.Users, treatment.Requests, treatment.Exposures, treatment.Clicks));

        // CTR = Σc / Σe with the delta-method interval over users.
        AssertEstimate(control.Ctr, 0.09090909090909091, 0.04221656351591436, 0.008166146866851173, 0.17365203495133064);
        AssertEstimate(treatment.Ctr, 0.21428571428571427, 0.052985129895133445, 0.11043676797507623, 0.3181346605963523);
        var ctr = treatment.Lifts["ctr"];
        Assert.Equal("delta-method-z", ctr.Test);
        AssertLift(ctr, 0.12337662337662336, -0.009405146601815323, 0.2561583933550621, 1.8211365791524716, 0.06858609811095459);
        Assert.Equal(1.357142857142857, ctr.Relative!.Value, Tolerance);
        Assert.Equal(-1.0734343136275226, ctr.RelativeCiLow!.Value, Tolerance);
        Assert.Equal(3.7877200279132364, ctr.RelativeCiHigh!.Value, Tolerance);
        Assert.Equal(ctr.PValue, ctr.PValueAdjusted, Tolerance); // one comparison: Holm changes nothing
        Assert.False(ctr.Significant);

        // Clicks per user: Student-t intervals and Welch's test (Welch–Satterthwaite df 8.2605).
        AssertEstimate(control.ClicksPerUser, 0.8, 0.37416573867739417, -0.23885063368356674, 1.8388506336835668);
        AssertEstimate(treatment.ClicksPerUser, 2.0, 0.5773502691896257, 0.5158738852214126, 3.4841261147785874);
        AssertLift(treatment.Lifts["clicks_per_user"], 1.2, -0.3778447597835908, 2.7778447597835907, 1.7442056992014332, 0.11809123503187059);

        // Hit rate: Wilson intervals (3/5, 5/6) and the pooled two-proportion z-test.
        Assert.Equal(0.6, control.HitRate.Value, Tolerance);
        Assert.Equal(0.23072428127601308, control.HitRate.CiLow, Tolerance);
        Assert.Equal(0.8823792257673522, control.HitRate.CiHigh, Tolerance);
        Assert.Equal(0.43649717781352987, treatment.HitRate.CiLow, Tolerance);
        Assert.Equal(0.9699466302516933, treatment.HitRate.CiHigh, Tolerance);
        var hit = treatment.Lifts["hit_rate"];
        Assert.Equal(0.8652231568278275, hit.Statistic, Tolerance);
        Assert.Equal(0.38691631776906804, hit.PValue, Tolerance);

        // Recall@K = mean of c / (c + 1); NDCG@K with binary gains, ideal = c + 1 hits on top.
        AssertEstimate(control.RecallAtK!, 0.3333333333333333, 0.13944333775567927, -0.05382343923086469, 0.7204901058975313);
        Assert.Equal(0.5638888888888889, treatment.RecallAtK!.Value, Tolerance);
        Assert.Equal(1.2522685992477662, treatment.Lifts["recall_at_k"].Statistic, Tolerance);
        Assert.Equal(0.24409686366071115, treatment.Lifts["recall_at_k"].PValue, 1e-8);
        Assert.Equal(0.3983310045039077, control.NdcgAtK!.Value, Tolerance);
        Assert.Equal(0.24242497098929938, treatment.Lifts["ndcg_at_k"].Absolute, Tolerance);
        Assert.Equal(0.2851892702875608, treatment.Lifts["ndcg_at_k"].PValue, 1e-8);

        // SRM: 5 vs 6 users against 50/50 → χ² = 2 · 0.5² / 5.5, df 1.
        Assert.Equal(0.09090909090909091, layer.SrmChiSquare!.Value, Tolerance);
        Assert.Equal(1, layer.SrmDegreesOfFreedom);
        Assert.Equal(0.763024600552995, layer.SrmPValue!.Value, Tolerance);
        Assert.False(layer.SrmFlagged);
    }

    [Fact]
    public void CupedUsesThePooledThetaAndMatchesTheHandComputedValues()
    {
        var plain = Analyze(cuped: false);
        var layer = Analyze(cuped: true);
        var control = layer.Variants.Single(v => v.Variant == "exp/control");
        var treatment = layer.Variants.Single(v => v.Variant == "exp/treatment");

        // θ = cov(Y, X) / var(X) over all 11 users = 0.63966; X̄ = 29/11; Y' = Y − θ(X − X̄).
        AssertEstimate(control.ClicksPerUser, 1.2070594210259014, 0.1573312709022597, 0.7702377840347747, 1.643881058017028);
        AssertEstimate(treatment.ClicksPerUser, 1.6607838158117485, 0.28012495397484166, 0.9406996974155624, 2.3808679342079344);
        AssertLift(treatment.Lifts["clicks_per_user"], 0.45372439478584714, -0.29230153089501076, 1.199750320466705, 1.412224176028909, 0.19702330301874282);
        Assert.Equal(0.7961045664318679, layer.CupedVarianceReduction!.Value, Tolerance);

        // Ratio and proportion metrics are not adjusted.
        Assert.Equal(plain.Variants[1].Ctr, treatment.Ctr);
        Assert.Equal(plain.Variants[1].HitRate, treatment.HitRate);
    }

    [Fact]
    public void CupedKeepsTheMeanOfRankingMetricsWhenSomeUsersHaveNoHeldOutItems()
    {
        // Users 2, 5 and 9 have no held-out item (no recall): recall's θ and X̄ come from the 8 others, so the adjusted
        // group means, weighted by users, still average to the raw mean (Σ (X − X̄) = 0 over the same users).
        long[] unranked = [2, 5, 9];
        var plain = Analyze(cuped: false, unranked);
        var cuped = Analyze(cuped: true, unranked);
        static double Pooled(LayerReport layer, Func<VariantReport, MetricEstimate?> metric, int[] users) =>
            layer.Variants.Select((v, i) => metric(v)!.Value * users[i]).Sum() / users.Sum();
        int[] ranked = [3, 5];
        Assert.Equal(ranked, plain.Variants.Select(v => v.Users - (v.Variant == "exp/control" ? 2 : 1)));
        Assert.Equal(Pooled(plain, v => v.RecallAtK, ranked), Pooled(cuped, v => v.RecallAtK, ranked), Tolerance);
        Assert.Equal(Pooled(plain, v => v.NdcgAtK, ranked), Pooled(cuped, v => v.NdcgAtK, ranked), Tolerance);
        Assert.NotEqual(plain.Variants[0].RecallAtK!.Value, cuped.Variants[0].RecallAtK!.Value, 6); // the adjustment did act
    }

    [Fact]
    public void WilsonIntervalStaysInsideZeroAndOne()
    {
        // 0/10 and 10/10: bounds z²/(n + z²) = 0.27753 from the edge, where Wald would give a zero-width interval.
        var none = ExperimentStatistics.WilsonInterval(0, 10, 0.95);
        var all = ExperimentStatistics.WilsonInterval(10, 10, 0.95);
        Assert.Equal((0.0, 0.0), (none.Value, none.CiLow));
        Assert.Equal(0.27753279986288903, none.CiHigh, Tolerance);
        Assert.Equal(0.7224672001371111, all.CiLow, Tolerance);
        Assert.Equal(1.0, all.CiHigh);
    }

    private static LayerReport Analyze(bool cuped, long[]? withoutHeldOutItems = null)
    {
        var stamps = new Dictionary<string, AssignmentStamp>
        {
            ["control"] = new(false, "v1", [new LayerStamp("recall", "exp", "control", 1, false)]),
            ["treatment"] = new(false, "v1", [new LayerStamp("recall", "exp", "treatment", 2, false)]),
        };
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        var relevant = new Dictionary<long, int>();
        var pre = new Dictionary<long, double>();
        long user = 0;
        foreach (var (variant, users) in new[] { ("control", Control), ("treatment", Treatment) })
        {
            foreach (var (e, c, x) in users)
            {
                user++;
                var stamp = stamps[variant];
                var request = $"r{user}";
                requests.Add(new RequestRecord(request, user, 0, 10, stamp));
                for (var position = 0; position < e; position++)
                {
                    exposures.Add(new ExposureRecord(request, user, 0, user * 100 + position, position, "popular", stamp));
                    if (position < c)
                    {
                        clicks.Add(new ClickRecord(request, user, 0, user * 100 + position, position, "popular", stamp));
                    }
                }

                if (withoutHeldOutItems?.Contains(user) != true)
                {
                    relevant[user] = c + 1;
                }

                pre[user] = x;
            }
        }

        var log = new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks, RelevantCounts = relevant, PrePeriod = pre };
        var shares = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["recall"] = new Dictionary<string, double> { ["exp/control"] = 0.5, ["exp/treatment"] = 0.5 } };
        return Assert.Single(ExperimentAnalyzer.Analyze(log, new AnalysisOptions { Cuped = cuped, ExpectedShares = shares }).Layers);
    }

    private static void AssertEstimate(MetricEstimate estimate, double value, double stdError, double low, double high)
    {
        Assert.Equal(value, estimate.Value, Tolerance);
        Assert.Equal(stdError, estimate.StdError, Tolerance);
        Assert.Equal(low, estimate.CiLow, 1e-8);
        Assert.Equal(high, estimate.CiHigh, 1e-8);
    }

    private static void AssertLift(LiftEstimate lift, double absolute, double low, double high, double statistic, double p)
    {
        Assert.Equal(absolute, lift.Absolute, Tolerance);
        Assert.Equal(low, lift.AbsoluteCiLow, 1e-8);
        Assert.Equal(high, lift.AbsoluteCiHigh, 1e-8);
        Assert.Equal(statistic, lift.Statistic, Tolerance);
        Assert.Equal(p, lift.PValue, 1e-8);
    }
}
