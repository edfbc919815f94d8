namespace RecFramework.Experiments;

/// <summary>One variant of an interleaving experiment as the router serves it.</summary>
/// <param name="Variant">Variant name; logged as the placing variant of the items it contributes.</param>
/// <param name="Parameters">The layer's effective parameters for this variant (default and launches, the variant applied).</param>
public sealed record InterleavedTeam(string Variant, IReadOnlyDictionary<string, string> Parameters);
