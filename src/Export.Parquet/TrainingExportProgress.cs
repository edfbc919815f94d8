namespace RecFramework.Export.Parquet;

/// <summary>Progress of an export.</summary>
/// <param name="Stage">"events", "profiles" or "schema".</param>
/// <param name="Events">Events written so far.</param>
/// <param name="Total">Events expected in all, or null when unknown (an event-log window).</param>
public sealed record TrainingExportProgress(string Stage, long Events, long? Total);
