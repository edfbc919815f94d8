using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RecFramework.Channels.TwoTower;
using RecFramework.Channels.TwoTower.Features;

namespace RecFramework.Export.Parquet;

/// <summary>Writes <c>schema.json</c>: the layout, every file's columns, the event-type codes and the two-tower feature schema.</summary>
internal static class SchemaDocument
{
    /// <summary>The document's format name.</summary>
    public const string Format = "recframework-training-export";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task WriteAsync(string path, ExportSummary summary, CancellationToken cancellationToken)
    {
        var options = summary.Options.TwoTower;
        var document = new
        {
            format = Format,
            version = 1,
            dataset = summary.Name,
            source = summary.Source,
            rowGroupSize = summary.Options.RowGroupSize,
            events = new
            {
                path = "events/date=YYYY-MM-DD/part-NNNN.parquet",
                partitioning = "Hive-style by the UTC day of timestamp (date=YYYY-MM-DD); a day may have several part files; rows within a file are in source order",
                rows = summary.Report.Events,
                skipped = summary.Report.Skipped,
                columns = EventColumns.Describe(),
                days = summary.Report.Days.Select(d => new { date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows = d.Rows, files = d.Files }),
            },
            eventTypes = Enum.GetValues<InteractionType>().Select(t => new
            {
                code = (int)t,
                name = t.ToName(),
                positive = new Interaction(0, 0, t, 0).IsPositive,
                weight = t switch
                {
                    InteractionType.Dwell => "dwell time in seconds",
                    InteractionType.Complete => "completed fraction in [0, 1]",
                    _ => "1, or the source's rating",
                },
            }),
            users = new { path = "users.parquet", rows = summary.Report.Users, columns = summary.UserColumns },
            items = new { path = "items.parquet", rows = summary.Report.Items, columns = summary.ItemColumns },
            twoTower = summary.Features is null ? null : new
            {
                channel = summary.Options.TwoTowerChannel,
                options = new
                {
                    continuousEncoding = options.ContinuousEncoding,
                    continuousBuckets = options.ContinuousBuckets,
                    logBeforeBucketize = options.LogBeforeBucketize,
                    idHashBuckets = options.IdHashBuckets,
                    indexColdItems = options.IndexColdItems,
                    excludeFeatures = options.ExcludedFeatureSet().Order(StringComparer.Ordinal).ToArray(),
                },
                idVocabulary = "ids of positive events (items: plus every profiled item when indexColdItems), ascending; slot = 1 + rank, 0 = unknown; users.parquet / items.parquet carry each id's slot in id_slot",
                user = summary.Features.User,
                item = summary.Features.Item,
            },
        };
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await JsonSerializer.SerializeAsync(stream, document, Json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the document describes.</summary>
    internal sealed record ExportSummary(string Name, string Source, TrainingExportOptions Options, TrainingExportReport Report,
        IReadOnlyList<ExportColumn> UserColumns, IReadOnlyList<ExportColumn> ItemColumns, TwoTowerFeatureSchema? Features);
}
