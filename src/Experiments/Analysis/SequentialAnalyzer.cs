namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Adds the anytime-valid figures to a layer's fixed-horizon ones: per variant and metric the mSPRT interval of the
/// absolute and relative lift, the minimum detectable effect and days until the target effect is detectable, then the
/// decision of each experiment variant.
/// </summary>
internal static class SequentialAnalyzer
{
    public static VariantReport Apply(VariantReport variant, int controlUsers, int days, bool srmFlagged, AnalysisOptions options)
    {
        if (variant.Lifts.Count == 0)
        {
            return variant;
        }

        var alpha = 1 - options.Confidence;
        var rule = variant.Experiment is { } experiment ? options.DecisionRules.GetValueOrDefault(experiment) ?? new DecisionRule() : new DecisionRule();
        var users = (long)variant.Users + controlUsers;
        var sequential = new Dictionary<string, SequentialLift>(StringComparer.Ordinal);
        foreach (var (metric, lift) in variant.Lifts)
        {
            sequential[metric] = Lift(lift, users, days, alpha, rule.TargetEffect, options);
        }

        return variant with
        {
            Sequential = sequential,
            Decision = variant.Experiment is not null ? rule.Decide(sequential, srmFlagged) : null,
        };
    }

    /// <summary>The anytime-valid and power figures of one fixed-horizon lift.</summary>
    public static SequentialLift Lift(LiftEstimate lift, long users, int days, double alpha, double targetEffect, AnalysisOptions options)
    {
        var variance = lift.StdError * lift.StdError;
        var absolute = SequentialStatistics.NormalMixture(lift.Absolute, variance,
            SequentialStatistics.MixtureVariance(variance, users, options.SequentialTuningUsers, alpha), alpha);
        AnytimeInterval? relative = null;
        double? mdeRelative = null;
        int? daysToTarget = null;
        if (lift.Relative is { } rel && lift.RelativeStdError is { } relSe)
        {
            var relVariance = relSe * relSe;
            relative = SequentialStatistics.NormalMixture(rel, relVariance,
                SequentialStatistics.MixtureVariance(relVariance, users, options.SequentialTuningUsers, alpha), alpha);
        }

        // Relative MDE = absolute MDE / control value (the usual "lift over the baseline"; the delta-method SE of the
        // observed relative lift would grow with the observed effect itself).
        var mde = PowerAnalysis.MinimumDetectableEffect(lift.StdError, alpha, options.Power);
        if (lift.ControlValue != 0 && lift.StdError > 0)
        {
            mdeRelative = mde / Math.Abs(lift.ControlValue);
            daysToTarget = PowerAnalysis.DaysUntilDetectable(mdeRelative.Value, targetEffect, days);
        }

        return new SequentialLift
        {
            Absolute = absolute,
            Relative = relative,
            MinimumDetectableEffect = mde,
            MinimumDetectableRelativeEffect = mdeRelative,
            Power = options.Power,
            TargetEffect = targetEffect,
            DaysUntilTargetDetectable = daysToTarget,
        };
    }
}
