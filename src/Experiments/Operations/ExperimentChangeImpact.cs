namespace RecFramework.Experiments.Operations;

/// <summary>
/// How many of the counted users a change moves: each user is assigned under the configuration before and after.
/// </summary>
/// <param name="UsersCounted">Users compared (the range or the sample given).</param>
/// <param name="ChangedVariant">Users whose holdout flag, or experiment or variant in some layer, differs.</param>
/// <param name="ChangedParameters">Users whose merged parameters (what they are served) differ.</param>
/// <param name="EnteredHoldout">Users in the holdout after and not before.</param>
/// <param name="LeftHoldout">Users in the holdout before and not after.</param>
/// <param name="Transitions">Per layer, from-variant and to-variant, the users moved (largest first, at most 50).</param>
public sealed record ExperimentChangeImpact(
    int UsersCounted, int ChangedVariant, int ChangedParameters, int EnteredHoldout, int LeftHoldout, IReadOnlyList<VariantTransition> Transitions);
