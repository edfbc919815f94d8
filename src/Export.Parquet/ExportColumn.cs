namespace RecFramework.Export.Parquet;

/// <summary>One column of an exported Parquet file, as schema.json describes it.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Parquet physical type: INT64, INT32, FLOAT, DOUBLE, BOOLEAN or BYTE_ARRAY (UTF-8 string).</param>
/// <param name="Nullable">True when the column may hold nulls (a profile field a user or item lacks).</param>
/// <param name="Meaning">What the column holds.</param>
/// <param name="Kind">For a profile column, the profile field's kind (Categorical, MultiCategorical, Continuous, Id); null otherwise.</param>
public sealed record ExportColumn(string Name, string Type, bool Nullable, string Meaning, FeatureKind? Kind = null);
