using System.Globalization;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// What an experiment's ship decision rests on (from its configuration: <c>PrimaryMetric</c>, <c>TargetEffect</c>,
/// <c>Guardrails</c>), and the rule itself, applied to the anytime-valid intervals in this order:
/// <list type="number">
/// <item>sample-ratio mismatch in the layer (chi-square or sequential) → do not ship: no figure can be trusted;</item>
/// <item>the primary metric not measured → keep running;</item>
/// <item>a guardrail whose relative interval lies wholly below −margin → do not ship;</item>
/// <item>the primary metric's interval wholly below 0 → do not ship;</item>
/// <item>the primary metric's interval wholly above 0 and every guardrail's relative interval above −margin → ship;</item>
/// <item>otherwise keep running, saying what is still open and when the target effect becomes detectable.</item>
/// </list>
/// Because the intervals are anytime-valid, the rule may be applied every day.
/// </summary>
public sealed record DecisionRule
{
    /// <summary>Default <see cref="TargetEffect"/>.</summary>
    public const double DefaultTargetEffect = 0.05;

    /// <summary>Metric the decision rests on.</summary>
    public string PrimaryMetric { get; init; } = ExperimentMetrics.DefaultPrimary;

    /// <summary>Relative lift worth detecting.</summary>
    public double TargetEffect { get; init; } = DefaultTargetEffect;

    /// <summary>Guardrails: metric and largest acceptable relative drop.</summary>
    public IReadOnlyList<(string Metric, double Margin)> Guardrails { get; init; } = [];

    /// <summary>The rule of every experiment of <paramref name="options"/>, by experiment name.</summary>
    public static Dictionary<string, DecisionRule> From(ExperimentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new Dictionary<string, DecisionRule>(StringComparer.Ordinal);
        foreach (var experiment in options.Layers.SelectMany(l => l.Experiments))
        {
            rules[experiment.Name] = new DecisionRule
            {
                PrimaryMetric = experiment.PrimaryMetric ?? ExperimentMetrics.DefaultPrimary,
                TargetEffect = experiment.TargetEffect ?? DefaultTargetEffect,
                Guardrails = experiment.Guardrails.Select(g => (g.Metric, g.Margin)).ToArray(),
            };
        }

        return rules;
    }

    /// <summary>Applies the rule to a variant's anytime-valid lifts (by metric name).</summary>
    public VariantDecision Decide(IReadOnlyDictionary<string, SequentialLift> lifts, bool sampleRatioMismatch)
    {
        ArgumentNullException.ThrowIfNull(lifts);
        var checks = Guardrails.Select(g => Check(g.Metric, g.Margin, lifts.GetValueOrDefault(g.Metric))).ToList();
        string verdict, reason;
        var primary = lifts.GetValueOrDefault(PrimaryMetric);
        var inferior = checks.Where(c => c.State == "inferior").ToList();
        if (sampleRatioMismatch)
        {
            (verdict, reason) = (VariantDecision.DoNotShip, "sample ratio mismatch in the layer: users are not split as configured, so no lift can be trusted; find the cause first");
        }
        else if (primary is null)
        {
            (verdict, reason) = (VariantDecision.KeepRunning, $"primary metric '{PrimaryMetric}' is not measured");
        }
        else if (inferior.Count > 0)
        {
            (verdict, reason) = (VariantDecision.DoNotShip, string.Join("; ", inferior.Select(c =>
                F($"guardrail '{c.Metric}' is worse than its margin: relative lift in [{c.RelativeLow:P2}, {c.RelativeHigh:P2}], wholly below -{c.Margin:P1}"))));
        }
        else if (primary.Absolute.High < 0)
        {
            (verdict, reason) = (VariantDecision.DoNotShip, F($"'{PrimaryMetric}' is worse: {Describe(primary)}, wholly below 0"));
        }
        else if (primary.Absolute.Low > 0 && checks.All(c => c.State == "non-inferior"))
        {
            var guards = checks.Count == 0 ? "no guardrails configured" : "every guardrail within its margin";
            (verdict, reason) = (VariantDecision.Ship, F($"'{PrimaryMetric}' is better: {Describe(primary)}, wholly above 0; {guards}"));
        }
        else
        {
            var open = new List<string>();
            if (!primary.Absolute.ExcludesZero)
            {
                open.Add(F($"'{PrimaryMetric}' {Describe(primary)} still includes 0"));
            }

            open.AddRange(checks.Where(c => c.State != "non-inferior").Select(c => c.State == "not-measured"
                ? $"guardrail '{c.Metric}' is not measured"
                : F($"guardrail '{c.Metric}' not yet shown within -{c.Margin:P1} (relative lift in [{c.RelativeLow:P2}, {c.RelativeHigh:P2}])")));
            if (primary.DaysUntilTargetDetectable is { } days)
            {
                open.Add(days == 0
                    ? F($"a {TargetEffect:P0} lift would already be detectable")
                    : F($"a {TargetEffect:P0} lift becomes detectable in about {days} more day(s) at the current traffic"));
            }

            (verdict, reason) = (VariantDecision.KeepRunning, string.Join("; ", open));
        }

        return new VariantDecision { Verdict = verdict, Reason = reason, PrimaryMetric = PrimaryMetric, Guardrails = checks };
    }

    private static GuardrailCheck Check(string metric, double margin, SequentialLift? lift)
    {
        if (lift?.Relative is not { } relative)
        {
            return new GuardrailCheck(metric, margin, null, null, "not-measured");
        }

        var state = relative.Low > -margin ? "non-inferior" : relative.High < -margin ? "inferior" : "undecided";
        return new GuardrailCheck(metric, margin, relative.Low, relative.High, state);
    }

    private static string Describe(SequentialLift lift) => lift.Relative is { } r
        ? F($"relative lift {r.Estimate:P2} in [{r.Low:P2}, {r.High:P2}] (always-valid p {P(lift.AlwaysValidPValue)})")
        : F($"lift {lift.Absolute.Estimate:G4} in [{lift.Absolute.Low:G4}, {lift.Absolute.High:G4}] (always-valid p {P(lift.AlwaysValidPValue)})");

    private static string P(double p) => p < 0.001 ? "< 0.001" : F($"= {p:0.000}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
