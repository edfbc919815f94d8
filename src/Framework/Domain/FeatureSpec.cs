namespace RecFramework;

/// <summary>One field of a <see cref="FeatureSchema"/>.</summary>
/// <param name="Name">Column / field name, unique within the schema.</param>
/// <param name="Kind">How the field is encoded.</param>
public sealed record FeatureSpec(string Name, FeatureKind Kind);
