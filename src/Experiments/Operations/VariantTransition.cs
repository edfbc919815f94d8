namespace RecFramework.Experiments.Operations;

/// <summary>Users moved from one variant of a layer to another ("exp-a/control" → "default", "holdout" → "exp-a/treatment").</summary>
/// <param name="Layer">The layer.</param>
/// <param name="From">"experiment/variant", "default" or "holdout" before.</param>
/// <param name="To">The same after.</param>
/// <param name="Users">Users moved.</param>
public sealed record VariantTransition(string Layer, string From, string To, int Users);
