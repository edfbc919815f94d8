namespace RecFramework.Experiments.Interleaving;

/// <summary>Wins, losses and ties of variant A against variant B (per request or per user).</summary>
/// <param name="Wins">Units where A's items drew more credit than B's.</param>
/// <param name="Losses">Units where B's drew more.</param>
/// <param name="Ties">Units with equal credit (most often none on either side).</param>
public sealed record InterleavingOutcome(int Wins, int Losses, int Ties);
