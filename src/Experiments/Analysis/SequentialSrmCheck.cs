namespace RecFramework.Experiments.Analysis;

/// <summary>Result of the Lindon–Malek sequential sample-ratio check (<see cref="SequentialStatistics.SampleRatio"/>).</summary>
/// <param name="LogBayesFactor">Natural log of the Bayes factor of "the shares differ" against the expected shares; +∞ when a group the configuration does not have received users.</param>
/// <param name="PValue">Always-valid p-value, min(1, 1 / Bayes factor).</param>
/// <param name="Concentration">Concentration C of the Dirichlet prior.</param>
/// <param name="Flagged">Whether <paramref name="PValue"/> is below the SRM threshold.</param>
public sealed record SequentialSrmCheck(double LogBayesFactor, double PValue, double Concentration, bool Flagged)
{
    /// <summary>Method name written to reports.</summary>
    public string Method => "dirichlet-multinomial-bayes-factor";
}
