using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// Event-type rates, active days, items consumed and day-N retention on a hand-made eight-day log whose every figure is
/// worked out in the comments (the same definitions as docs/comparison.md, "User-level and event-type metrics").
/// </summary>
public sealed class UserLevelMetricsTests
{
    private const double Tolerance = 1e-12;

    // Days 0-7. Control: user 1 on days 0, 1, 2, 7; user 2 on days 0, 3. Treatment: user 3 every day; user 4 on day 5.
    private static ExperimentLog Log(IReadOnlyDictionary<long, double>? pre = null) => new HandMadeLog()
        .Visit(1, "control", 0, 1, 2, 7).Visit(2, "control", 0, 3)
        .Visit(3, "treatment", 0, 1, 2, 3, 4, 5, 6, 7).Visit(4, "treatment", 5)
        .Click(1, "control", 0, 10).Engage(1, "control", 0, 10, "like").Engage(1, "control", 0, 10, "dwell", 30).Engage(1, "control", 0, 10, "dwell", 50)
        .Click(1, "control", 0, 11)
        .Click(2, "control", 0, 12).Engage(2, "control", 0, 12, "share").Engage(2, "control", 0, 99, "like") // 99 was never shown: ignored
        .Click(3, "treatment", 0, 10).Engage(3, "treatment", 0, 10, "like")
        .Click(3, "treatment", 1, 11).Engage(3, "treatment", 1, 11, "like").Engage(3, "treatment", 1, 11, "dwell", 20)
        .Build(pre);

    private static (VariantReport Control, VariantReport Treatment) Analyze(ExperimentLog log, AnalysisOptions? options = null)
    {
        var report = ExperimentAnalyzer.Analyze(log, options ?? new AnalysisOptions());
        var layer = report.Layers.Single(l => l.Layer == "recall");
        return (layer.Variants.Single(v => v.Variant == "exp/control"), layer.Variants.Single(v => v.Variant == "exp/treatment"));
    }

    [Fact]
    public void ActiveDaysAndItemsConsumedAreMeansOverUsers()
    {
        var (control, treatment) = Analyze(Log());

        // Active days 4 and 2 (control), 8 and 1 (treatment); items consumed {10, 11} and {12}, {10, 11} and none.
        Assert.Equal(3, control.ActiveDaysPerUser!.Value, Tolerance);
        Assert.Equal(4.5, treatment.ActiveDaysPerUser!.Value, Tolerance);
        Assert.Equal(1.5, control.ItemsConsumedPerUser!.Value, Tolerance);
        Assert.Equal(1, treatment.ItemsConsumedPerUser!.Value, Tolerance);

        // (estimate, variance of the mean, n): sample variances 2 and 24.5 over 2 users each.
        Assert.Equal(new ArmEstimate(3, 1, 2), control.Estimates["active_days_per_user"]);
        Assert.Equal(new ArmEstimate(4.5, 12.25, 2), treatment.Estimates["active_days_per_user"]);
        Assert.Equal("welch-t", treatment.Lifts["active_days_per_user"].Test);
        Assert.Equal(1.5, treatment.Lifts["active_days_per_user"].Absolute, Tolerance);
    }

    [Fact]
    public void DayNRetentionIsTheShareOfActiveDaysFollowedByActivityNDaysLater()
    {
        var (control, treatment) = Analyze(Log());

        // Day 1, pairs with d + 1 <= 7: user 1 → d = 0 ✓, 1 ✓, 2 ✗ (2/3); user 2 → 0 ✗, 3 ✗ (0/2): control 2/5.
        // User 3 → 7/7; user 4 → d = 5 ✗ (0/1): treatment 7/8.
        Assert.Equal(0.4, control.Retention["day_1"].Value, Tolerance);
        Assert.Equal(0.875, treatment.Retention["day_1"].Value, Tolerance);

        // Day 7, pairs with d = 0 only: user 1 ✓, user 2 ✗ (1/2); user 3 ✓, user 4 has none (1/1).
        Assert.Equal(0.5, control.Retention["day_7"].Value, Tolerance);
        Assert.Equal(1, treatment.Retention["day_7"].Value, Tolerance);

        // Delta-method variance of control day-1: y = (2, 0), x = (3, 2); ȳ = 1, x̄ = 2.5, R = 0.4, s_yy = 2, s_xx = 0.5,
        // s_xy = 1 → (2 − 2·0.4·1 + 0.16·0.5) / (2 · 2.5²) = 0.1024.
        Assert.Equal(0.1024, control.Estimates["retention_day_1"].Variance, Tolerance);
        Assert.Equal(2, control.Estimates["retention_day_1"].N);
        Assert.Equal("delta-method-z", treatment.Lifts["retention_day_1"].Test);
    }

    [Fact]
    public void EveryEventTypeHasItsRatePerExposureAndPerClick()
    {
        var (control, treatment) = Analyze(Log());

        Assert.Equal(["click", "like", "share", "dwell"], control.EventTypes.Keys);
        Assert.Equal(["click", "like", "share", "dwell"], treatment.EventTypes.Keys);

        // Control: 18 exposures, 3 clicks, 1 like (the like on item 99 was never shown), 1 share, 1 dwell (the longest, 50 s, of the two on item 10).
        Assert.Equal(3, control.EventTypes["click"].Count);
        Assert.Equal(3.0 / 18, control.EventTypes["click"].PerExposure.Value, Tolerance);
        Assert.Null(control.EventTypes["click"].PerClick);
        Assert.Equal(1, control.EventTypes["like"].Count);
        Assert.Equal(1.0 / 18, control.EventTypes["like"].PerExposure.Value, Tolerance);
        Assert.Equal(1.0 / 3, control.EventTypes["like"].PerClick!.Value, Tolerance);
        Assert.Equal(1.0 / 3, control.EventTypes["share"].PerClick!.Value, Tolerance);
        Assert.Equal(50, control.EventTypes["dwell"].MeanValue!.Value, Tolerance);
        Assert.Null(control.EventTypes["like"].MeanValue);

        // Treatment: 27 exposures, 2 clicks, 2 likes, no share, 1 dwell of 20 s.
        Assert.Equal(2.0 / 27, treatment.EventTypes["like"].PerExposure.Value, Tolerance);
        Assert.Equal(1, treatment.EventTypes["like"].PerClick!.Value, Tolerance);
        Assert.Equal(0, treatment.EventTypes["share"].Count);
        Assert.Equal(20, treatment.EventTypes["dwell"].MeanValue!.Value, Tolerance);
        Assert.Equal(2.0 / 3, treatment.Lifts["like_per_click"].Absolute, Tolerance);
        Assert.Equal(treatment.EventTypes["like"].PerClick!.Value, treatment.Estimates["like_per_click"].Estimate, Tolerance);

        // CTR keeps counting clicks only.
        Assert.Equal(3.0 / 18, control.Ctr.Value, Tolerance);
    }

    [Fact]
    public void CupedWithoutAPrePeriodAndRetentionLongerThanTheLogAreReportedAsWarnings()
    {
        var report = ExperimentAnalyzer.Analyze(Log(), new AnalysisOptions { Cuped = true, RetentionDays = [1, 10] });

        Assert.False(report.Cuped);
        Assert.Equal(2, report.Warnings.Count);
        Assert.Contains("CUPED was asked for but cannot apply: the log has no pre-period", report.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("Day-10 retention", report.Warnings[1], StringComparison.Ordinal);
        Assert.All(report.Layers[0].Variants, v => Assert.False(v.Retention.ContainsKey("day_10")));

        var withPre = ExperimentAnalyzer.Analyze(Log(new Dictionary<long, double> { [1] = 3, [2] = 1, [3] = 6 }), new AnalysisOptions { Cuped = true });
        Assert.True(withPre.Cuped);
        Assert.Empty(withPre.Warnings);
    }

    [Fact]
    public void ALogWithoutTypedEventsHasOnlyClickRates()
    {
        var log = new HandMadeLog().Visit(1, "control", 0).Visit(2, "treatment", 0).Click(1, "control", 0, 11).Build();

        var (control, treatment) = Analyze(log);

        Assert.Equal(["click"], control.EventTypes.Keys);
        Assert.Equal(1.0 / 3, control.EventTypes["click"].PerExposure.Value, Tolerance);
        Assert.Equal(0, treatment.EventTypes["click"].Count);
        Assert.Empty(control.Retention); // one day: no pair inside the period
    }

    [Fact]
    public void CupedShrinksTheVarianceOfActiveDaysWhenThePrePeriodPredictsActivity()
    {
        // Each user is active each of 14 days with their own propensity; the pre-period is 20 days of the same habit.
        var random = new Random(11);
        var builder = new HandMadeLog();
        var pre = new Dictionary<long, double>();
        for (long user = 1; user <= 600; user++)
        {
            var variant = user % 2 == 0 ? "control" : "treatment";
            var propensity = 0.1 + 0.8 * random.NextDouble();
            pre[user] = Enumerable.Range(0, 20).Count(_ => random.NextDouble() < propensity);
            var days = Enumerable.Range(0, 14).Where(_ => random.NextDouble() < propensity).ToArray();
            builder.Visit(user, variant, days.Length > 0 ? days : [0]);
        }

        var log = builder.Build(pre);
        var (rawControl, _) = Analyze(log);
        var (cupedControl, _) = Analyze(log, new AnalysisOptions { Cuped = true });

        var raw = rawControl.Estimates["active_days_per_user"];
        var adjusted = cupedControl.Estimates["active_days_per_user"];
        Assert.True(adjusted.Variance < 0.5 * raw.Variance, $"CUPED variance {adjusted.Variance} vs raw {raw.Variance}");
        Assert.True(Math.Abs(adjusted.Estimate - raw.Estimate) < 4 * Math.Sqrt(raw.Variance), $"{adjusted.Estimate} vs {raw.Estimate}");
    }
}
