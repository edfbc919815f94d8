namespace RecFramework.Export.Parquet;

/// <summary>What an export wrote.</summary>
/// <param name="Directory">The export directory (full path).</param>
/// <param name="Events">Events written.</param>
/// <param name="Skipped">Events left out: an undefined event type, a weight that is not a finite number, or a time outside the years 1..9999.</param>
/// <param name="Days">The day partitions, by date.</param>
/// <param name="Users">Rows of users.parquet.</param>
/// <param name="Items">Rows of items.parquet.</param>
/// <param name="RowGroups">Row groups written to the event files.</param>
public sealed record TrainingExportReport(string Directory, long Events, long Skipped, IReadOnlyList<ExportedDay> Days, int Users, int Items, int RowGroups);
