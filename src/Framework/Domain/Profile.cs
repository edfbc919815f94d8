namespace RecFramework;

/// <summary>
/// Feature values of one user or item, aligned with a <see cref="FeatureSchema"/>: <c>Values[i]</c> holds the raw
/// string values of field i (one for categorical and continuous, any number for multi-valued, none when missing).
/// </summary>
/// <param name="Id">External id of the user or item.</param>
/// <param name="Values">Raw values per schema field.</param>
public sealed record Profile(long Id, IReadOnlyList<string[]> Values)
{
    /// <summary>The single value of field <paramref name="index"/>, or null when missing.</summary>
    public string? Single(int index) => index < Values.Count && Values[index].Length > 0 ? Values[index][0] : null;
}
