namespace RecFramework.Experiments.Analysis;

/// <summary>Settings of <see cref="ExperimentAnalyzer"/>.</summary>
public sealed record AnalysisOptions
{
    /// <summary>Two-sided confidence level of every interval, in (0, 1). Default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Family-wise significance level used with Holm-adjusted p-values. Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Variant name that is the control inside an experiment; otherwise the first variant by name is. Default "control".</summary>
    public string ControlVariant { get; init; } = "control";

    /// <summary>The SRM check flags a layer when its chi-square p-value is below this. Default 0.001.</summary>
    public double SrmThreshold { get; init; } = 0.001;

    /// <summary>Apply CUPED to user-level mean metrics using <see cref="ExperimentLog.PrePeriod"/>.</summary>
    public bool Cuped { get; init; }

    /// <summary>The N of each day-N retention (return rate) figure, each >= 1. Default 1 and 7.</summary>
    public IReadOnlyList<int> RetentionDays { get; init; } = [1, 7];

    /// <summary>
    /// Configured share of users per layer and group label (see <see cref="LayerStamp.Label"/>), e.g.
    /// recall → { holdout: 0.1, default: 0.5, exp/control: 0.2, exp/treatment: 0.2 }. Layers without an entry skip SRM.
    /// The holdout-vs-rest pseudo layer uses the labels "holdout" and "rest".
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ExpectedShares { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>
    /// Users (control + variant) at which the anytime-valid intervals are narrowest; sets the mixture variance of the
    /// mSPRT (see <see cref="SequentialStatistics.MixtureVariance"/>). Default 5,000.
    /// </summary>
    public int SequentialTuningUsers { get; init; } = SequentialStatistics.DefaultTuningUsers;

    /// <summary>Concentration of the Dirichlet prior of the sequential sample-ratio check. Default 1,000.</summary>
    public double SrmConcentration { get; init; } = SequentialStatistics.DefaultSrmConcentration;

    /// <summary>Power of the minimum detectable effect, in (0, 1). Default 0.8.</summary>
    public double Power { get; init; } = PowerAnalysis.DefaultPower;

    /// <summary>Decision rule per experiment name (see <see cref="DecisionRule.From"/>); experiments without one use the defaults.</summary>
    public IReadOnlyDictionary<string, DecisionRule> DecisionRules { get; init; } = new Dictionary<string, DecisionRule>();

    /// <summary>Throws when a setting is out of range, naming it and its value.</summary>
    public void Validate()
    {
        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "Confidence must be in (0, 1).");
        }

        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be in (0, 1).");
        }

        if (!(SrmThreshold > 0 && SrmThreshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SrmThreshold), SrmThreshold, "SrmThreshold must be in (0, 1).");
        }

        foreach (var n in RetentionDays)
        {
            if (n < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(RetentionDays), n, "Each retention day must be >= 1.");
            }
        }

        if (SequentialTuningUsers <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SequentialTuningUsers), SequentialTuningUsers, "SequentialTuningUsers must be positive.");
        }

        if (!(SrmConcentration > 0) || double.IsInfinity(SrmConcentration))
        {
            throw new ArgumentOutOfRangeException(nameof(SrmConcentration), SrmConcentration, "SrmConcentration must be a finite number > 0.");
        }

        if (!(Power > 0 && Power < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Power), Power, "Power must be in (0, 1).");
        }

        foreach (var (layer, shares) in ExpectedShares)
        {
            foreach (var (label, share) in shares)
            {
                if (!(share >= 0) || double.IsInfinity(share))
                {
                    throw new ArgumentOutOfRangeException(nameof(ExpectedShares), share, $"Expected share of '{layer}/{label}' must be a finite number >= 0.");
                }
            }
        }
    }
}
