using RecFramework.Channels.TwoTower;

namespace RecFramework.Export.Parquet;

/// <summary>How <see cref="TrainingDataExporter"/> writes an export.</summary>
public sealed record TrainingExportOptions
{
    /// <summary>Rows per Parquet row group (events and profiles); also the most events buffered per open day. Default 100,000.</summary>
    public int RowGroupSize { get; init; } = 100_000;

    /// <summary>
    /// Day partitions kept open at once (default 8). When an event's day is not open and this many are, the least
    /// recently written day is flushed and closed; a later event of that day opens its next part file. Events buffered
    /// in memory never exceed <c>MaxOpenDays × RowGroupSize</c>.
    /// </summary>
    public int MaxOpenDays { get; init; } = 8;

    /// <summary>Replace an existing export in the output directory (events/, users.parquet, items.parquet, schema.json) instead of refusing.</summary>
    public bool Overwrite { get; init; }

    /// <summary>The two-tower channel's options the feature schema is derived with (default: the channel's defaults).</summary>
    public TwoTowerOptions TwoTower { get; init; } = new();

    /// <summary>The two-tower channel's name, recorded in schema.json.</summary>
    public string TwoTowerChannel { get; init; } = "two-tower";

    /// <summary>Checks the numbers.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/> naming the bad value.</exception>
    public void Validate()
    {
        if (RowGroupSize < 1)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"The row group size must be at least 1; got {RowGroupSize}.");
        }

        if (MaxOpenDays < 1)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"The number of open day partitions must be at least 1; got {MaxOpenDays}.");
        }
    }
}
