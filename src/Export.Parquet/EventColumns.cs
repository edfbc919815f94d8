using Parquet.Schema;

namespace RecFramework.Export.Parquet;

/// <summary>The columns of the event files (<c>events/date=YYYY-MM-DD/part-NNNN.parquet</c>), in file order.</summary>
internal static class EventColumns
{
    public static readonly DataField<long> UserId = new("user_id", nullable: false);
    public static readonly DataField<long> ItemId = new("item_id", nullable: false);
    public static readonly DataField<int> EventType = new("event_type", nullable: false);
    public static readonly DataField<long> Timestamp = new("timestamp", nullable: false);
    public static readonly DataField<float> Weight = new("weight", nullable: false);
    public static readonly DataField<bool> Positive = new("positive", nullable: false);

    public static readonly ParquetSchema Schema = new(UserId, ItemId, EventType, Timestamp, Weight, Positive);

    /// <summary>Name, Parquet type and meaning of each column, for schema.json and the docs.</summary>
    public static IReadOnlyList<ExportColumn> Describe() =>
    [
        new("user_id", "INT64", false, "External user id."),
        new("item_id", "INT64", false, "External item id."),
        new("event_type", "INT32", false, "Event type code (see eventTypes)."),
        new("timestamp", "INT64", false, "Event time in unix seconds (UTC); the partition's date is this time's UTC day."),
        new("weight", "FLOAT", false, "Event strength: the rating, dwell seconds or completed fraction; 1 when the source has none."),
        new("positive", "BOOLEAN", false, "True for positive signals (every type except impression and dislike): what the two-tower builder trains on."),
    ];
}
