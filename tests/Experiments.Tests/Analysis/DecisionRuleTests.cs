using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>The decision summary: configuration → rule → verdict with its reason, on synthetic logs and on hand-made intervals.</summary>
public sealed class DecisionRuleTests
{
    private const string Config = """
    {
      "RecFramework": {
        "Experiments": {
          "BucketCount": 100,
          "Layers": [
            { "Name": "recall", "Salt": "recall",
              "Experiments": [
                { "Name": "exp", "Buckets": [ "0-99" ], "PrimaryMetric": "ctr", "TargetEffect": 0.1,
                  "Guardrails": [ { "Metric": "hit_rate", "Margin": 0.05 } ],
                  "Variants": [ { "Name": "control", "Share": 0.5 }, { "Name": "treatment", "Share": 0.5 } ] }
              ] }
          ]
        }
      }
    }
    """;

    private static readonly Dictionary<string, DecisionRule> Rules = DecisionRule.From(TestConfigurations.Options(Config));

    [Fact]
    public void TheRuleIsReadFromTheExperimentsConfiguration()
    {
        var rule = Rules["exp"];

        Assert.Equal("ctr", rule.PrimaryMetric);
        Assert.Equal(0.1, rule.TargetEffect);
        Assert.Equal([("hit_rate", 0.05)], rule.Guardrails);
        Assert.Empty(TestConfigurations.Validator().Validate(TestConfigurations.Options(Config)));
    }

    [Fact]
    public void ABetterVariantWithItsGuardrailHeldShips()
    {
        var treatment = Analyze(0.10, 0.13, users: 3_000, days: 7);

        Assert.Equal(VariantDecision.Ship, treatment.Decision!.Verdict);
        Assert.Contains("'ctr' is better", treatment.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal("non-inferior", Assert.Single(treatment.Decision.Guardrails).State);
        Assert.True(treatment.Sequential["ctr"].Absolute.Low > 0);
    }

    [Fact]
    public void AWorseVariantDoesNotShip()
    {
        var treatment = Analyze(0.10, 0.06, users: 3_000, days: 7);

        Assert.Equal(VariantDecision.DoNotShip, treatment.Decision!.Verdict);
        Assert.Matches("guardrail 'hit_rate' is worse than its margin|'ctr' is worse", treatment.Decision.Reason);
        Assert.True(treatment.Sequential["ctr"].Absolute.High < 0);
    }

    [Fact]
    public void AnAATestKeepsRunningAndSaysWhenTheTargetBecomesDetectable()
    {
        var treatment = Analyze(0.10, 0.10, users: 400, days: 2);

        Assert.Equal(VariantDecision.KeepRunning, treatment.Decision!.Verdict);
        Assert.Contains("still includes 0", treatment.Decision.Reason, StringComparison.Ordinal);
        var ctr = treatment.Sequential["ctr"];
        Assert.True(ctr.DaysUntilTargetDetectable > 0, $"days {ctr.DaysUntilTargetDetectable}, MDE {ctr.MinimumDetectableRelativeEffect}");
        Assert.Contains($"becomes detectable in about {ctr.DaysUntilTargetDetectable} more day(s)", treatment.Decision.Reason, StringComparison.Ordinal);
        // The anytime-valid interval is wider than the fixed-horizon one on the same data.
        var fixedHorizon = treatment.Lifts["ctr"];
        // MDE = 2.80 SE of the fixed-horizon lift, relative to the control's CTR; the days follow from it (target 10 %, 2 days).
        Assert.Equal(PowerAnalysis.Multiplier(0.05, 0.8) * fixedHorizon.StdError, ctr.MinimumDetectableEffect, 12);
        Assert.Equal(ctr.MinimumDetectableEffect / treatment.Lifts["ctr"].ControlValue, ctr.MinimumDetectableRelativeEffect!.Value, 12);
        Assert.Equal(PowerAnalysis.DaysUntilDetectable(ctr.MinimumDetectableRelativeEffect.Value, 0.1, 2), ctr.DaysUntilTargetDetectable);
        Assert.True(ctr.Absolute.Low < fixedHorizon.AbsoluteCiLow && ctr.Absolute.High > fixedHorizon.AbsoluteCiHigh);
    }

    [Fact]
    public void ASampleRatioMismatchBlocksShipping()
    {
        SyntheticLogFactory.Group[] groups = [new("exp", "control", 0.5, 0.10), new("exp", "treatment", 0.5, 0.13)];
        var options = SyntheticLogFactory.Options(groups) with { DecisionRules = Rules };
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(3, 4000, groups, dropShareOfLast: 0.2), options);
        var layer = report.Layers[0];

        Assert.True(layer.SrmFlagged);
        Assert.True(layer.SequentialSrm!.Flagged, $"sequential SRM p = {layer.SequentialSrm.PValue}");
        var decision = layer.Variants.Single(v => v.Variant == "exp/treatment").Decision!;
        Assert.Equal(VariantDecision.DoNotShip, decision.Verdict);
        Assert.Contains("sample ratio mismatch", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.02, 0.06, -0.01, 0.03, VariantDecision.Ship, "every guardrail within its margin")]
    [InlineData(0.02, 0.06, -0.09, -0.06, VariantDecision.DoNotShip, "guardrail 'ctr' is worse than its margin")]
    [InlineData(0.02, 0.06, -0.07, 0.01, VariantDecision.KeepRunning, "guardrail 'ctr' not yet shown within -5.0 %")]
    [InlineData(-0.03, -0.01, -0.01, 0.03, VariantDecision.DoNotShip, "'clicks_per_user' is worse")]
    [InlineData(-0.01, 0.03, -0.01, 0.03, VariantDecision.KeepRunning, "still includes 0")]
    public void TheRuleOrdersGuardrailsBeforeThePrimaryMetric(double primaryLow, double primaryHigh, double guardLow, double guardHigh, string verdict, string reason)
    {
        var rule = new DecisionRule { Guardrails = [("ctr", 0.05)] };
        var lifts = new Dictionary<string, SequentialLift>
        {
            [ExperimentMetrics.ClicksPerUser] = Lift(primaryLow, primaryHigh),
            [ExperimentMetrics.Ctr] = Lift(guardLow, guardHigh),
        };

        var decision = rule.Decide(lifts, sampleRatioMismatch: false);

        Assert.Equal(verdict, decision.Verdict);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnmeasuredGuardrailKeepsTheExperimentRunning()
    {
        var rule = new DecisionRule { Guardrails = [("recall_at_k", 0.01)] };
        var decision = rule.Decide(new Dictionary<string, SequentialLift> { [ExperimentMetrics.ClicksPerUser] = Lift(0.02, 0.05) }, false);

        Assert.Equal(VariantDecision.KeepRunning, decision.Verdict);
        Assert.Contains("guardrail 'recall_at_k' is not measured", decision.Reason, StringComparison.Ordinal);
        Assert.Equal("not-measured", decision.Guardrails[0].State);
    }

    private static VariantReport Analyze(double control, double treatment, int users, int days)
    {
        SyntheticLogFactory.Group[] groups = [new("exp", "control", 0.5, control), new("exp", "treatment", 0.5, treatment)];
        var options = SyntheticLogFactory.Options(groups) with { DecisionRules = Rules };
        var report = ExperimentAnalyzer.Analyze(SyntheticLogFactory.Build(17, users, groups, days), options);
        Assert.Null(report.Layers[0].Variants.Single(v => v.Variant == "exp/control").Decision);
        return report.Layers[0].Variants.Single(v => v.Variant == "exp/treatment");
    }

    // Relative and absolute intervals alike (a control value of 1).
    private static SequentialLift Lift(double low, double high)
    {
        var interval = new AnytimeInterval((low + high) / 2, (high - low) / 5, low, high, low > 0 || high < 0 ? 0.01 : 0.5, 0.001);
        return new SequentialLift { Absolute = interval, Relative = interval, MinimumDetectableEffect = 0.01, Power = 0.8, TargetEffect = 0.05 };
    }
}
