namespace RecFramework.Experiments.Analysis;

/// <summary>One look of an anytime-valid confidence sequence (see <see cref="SequentialStatistics"/>).</summary>
/// <param name="Estimate">Point estimate.</param>
/// <param name="StdError">Standard error of the estimate, √V.</param>
/// <param name="Low">Lower bound; holds at every look at once with probability ≥ 1 − α.</param>
/// <param name="High">Upper bound.</param>
/// <param name="PValue">Always-valid p-value of "no difference", min(1, 1 / Λ(0)).</param>
/// <param name="MixtureVariance">Mixture variance τ² used (the scale of the estimate squared).</param>
public sealed record AnytimeInterval(double Estimate, double StdError, double Low, double High, double PValue, double MixtureVariance)
{
    /// <summary>Whether the interval excludes 0 (equivalently, <see cref="PValue"/> ≤ α).</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}
