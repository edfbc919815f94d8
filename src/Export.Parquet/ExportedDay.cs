namespace RecFramework.Export.Parquet;

/// <summary>One day partition of an export.</summary>
/// <param name="Date">The UTC day (the partition's <c>date=</c> value).</param>
/// <param name="Rows">Events of that day.</param>
/// <param name="Files">Its part files, relative to the export directory with '/' separators.</param>
public sealed record ExportedDay(DateOnly Date, long Rows, IReadOnlyList<string> Files);
