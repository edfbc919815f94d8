namespace RecFramework.Experiments.Interleaving;

/// <summary>The analysis of one interleaving experiment: credits per variant and the preference of every pair.</summary>
/// <param name="Layer">Layer of the experiment.</param>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Variants">Variants seen placing items, in ordinal order.</param>
/// <param name="Users">Users with an interleaved request.</param>
/// <param name="Requests">Interleaved requests.</param>
/// <param name="Credits">Positive events (clicks and the other positive types) on the items each variant placed.</param>
/// <param name="Alpha">Family-wise alpha of the tests.</param>
/// <param name="Pairs">Every pair of variants (one for interleaving, all pairs for multileaving), Holm-corrected.</param>
public sealed record InterleavingReport(string Layer, string Experiment, IReadOnlyList<string> Variants, int Users, int Requests,
    IReadOnlyDictionary<string, long> Credits, double Alpha, IReadOnlyList<InterleavingPair> Pairs);
