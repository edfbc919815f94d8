namespace RecFramework.Experiments.Interleaving;

/// <summary>
/// Preference between two variants of an interleaving experiment. The test is per user: a user prefers the variant whose
/// placed items drew more positive events over all of the user's requests; ties are left out and the users preferring
/// A are tested against half of the untied ones with a two-sided exact sign (binomial) test.
/// </summary>
/// <param name="A">First variant.</param>
/// <param name="B">Second variant.</param>
/// <param name="PerRequest">Wins, losses and ties of A per interleaved request.</param>
/// <param name="PerUser">Wins, losses and ties of A per user (credits summed over the user's requests).</param>
/// <param name="WinShare">Share of untied users preferring A (0.5 = no preference); null without untied users (JSON has no NaN).</param>
/// <param name="WinShareLow">Lower end of the Clopper–Pearson interval of <see cref="WinShare"/> at 1 − alpha.</param>
/// <param name="WinShareHigh">Upper end of that interval.</param>
/// <param name="Delta">(users preferring A − users preferring B) / all users with a request, in [−1, 1].</param>
/// <param name="PValue">Two-sided exact sign-test p-value.</param>
/// <param name="AdjustedPValue">The p-value after Holm's correction over the experiment's pairs (equal to it for two variants).</param>
/// <param name="Preferred">The preferred variant when <see cref="AdjustedPValue"/> is below alpha; null otherwise.</param>
public sealed record InterleavingPair(string A, string B, InterleavingOutcome PerRequest, InterleavingOutcome PerUser, double? WinShare, double WinShareLow,
    double WinShareHigh, double Delta, double PValue, double AdjustedPValue, string? Preferred);
