namespace RecFramework.Channels.TwoTower.Features;

/// <summary>How a tower encodes one profile field.</summary>
/// <param name="Name">The profile field.</param>
/// <param name="Kind">Its kind in the profile schema.</param>
/// <param name="Encoding">
/// <c>vocabulary</c>: slot = 1 + index of the value in <paramref name="Vocabulary"/>, 0 = missing or unknown (a
/// multi-valued field gives one slot per known value, padded with 0 to the tower's multi length);
/// <c>buckets</c>: a continuous value x (log1p(max(0, x)) when <paramref name="Log"/>) gets slot 1 + the number of
/// <paramref name="Boundaries"/> below it (a value equal to a boundary falls in that boundary's bucket), 0 = missing;
/// <c>normalize</c>: (x − <paramref name="Mean"/>) / <paramref name="Std"/>, 0 when missing.
/// </param>
/// <param name="Vocabulary">Known values in slot order (ordinal sort).</param>
/// <param name="Boundaries">Ascending bucket boundaries (equal-frequency quantiles).</param>
/// <param name="Log">log1p before bucketising.</param>
/// <param name="Mean">Mean of a normalised field.</param>
/// <param name="Std">Standard deviation of a normalised field (1 when constant).</param>
/// <param name="Offset">Offset of the field's slots in the tower's shared categorical or multi-valued table.</param>
/// <param name="Slots">Slots of the field, slot 0 included (0 for normalised fields).</param>
public sealed record TowerFieldEncoding(string Name, FeatureKind Kind, string Encoding, IReadOnlyList<string> Vocabulary, IReadOnlyList<double> Boundaries,
    bool Log, double Mean, double Std, long Offset, long Slots)
{
    /// <summary>A field encoded by vocabulary lookup.</summary>
    public const string VocabularyEncoding = "vocabulary";

    /// <summary>A continuous field encoded by bucket.</summary>
    public const string BucketsEncoding = "buckets";

    /// <summary>A continuous field normalised to zero mean and unit variance.</summary>
    public const string NormalizeEncoding = "normalize";

    internal static TowerFieldEncoding From(FieldEncoding field, string encoding) => new(field.Name, field.Kind, encoding,
        encoding == BucketsEncoding ? [] : field.Vocabulary.ToArray(), field.Boundaries.ToArray(), field.Log, field.Mean, field.Std,
        encoding == NormalizeEncoding ? 0 : field.Offset, encoding == NormalizeEncoding ? 0 : field.Slots);
}
