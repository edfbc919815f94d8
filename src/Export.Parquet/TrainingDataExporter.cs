using System.Runtime.CompilerServices;
using RecFramework.Channels.TwoTower.Features;
using RecFramework.Data;
using RecFramework.Stores;

namespace RecFramework.Export.Parquet;

/// <summary>
/// Exports the training data a two-tower channel would use — events, user and item profiles and the feature schema —
/// as Parquet, so a model can be trained elsewhere:
/// <code>
/// OUT/schema.json                                   columns, event-type codes, two-tower feature schema
/// OUT/users.parquet, OUT/items.parquet              one row per user / item: id, id_slot, profile fields
/// OUT/events/date=YYYY-MM-DD/part-NNNN.parquet      events by UTC day, in row groups of RowGroupSize
/// </code>
/// Events are streamed: memory holds at most <c>MaxOpenDays × RowGroupSize</c> events plus the distinct user and
/// item ids (and the profiles), never the whole log.
/// </summary>
public static class TrainingDataExporter
{
    /// <summary>The schema document's file name.</summary>
    public const string SchemaFile = "schema.json";

    /// <summary>The user profile file's name.</summary>
    public const string UsersFile = "users.parquet";

    /// <summary>The item profile file's name.</summary>
    public const string ItemsFile = "items.parquet";

    /// <summary>The folder of the day partitions.</summary>
    public const string EventsFolder = "events";

    /// <summary>Exports a loaded data set (<see cref="DatasetLoader"/>: ML-100K, a generated or a delimited data set).</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="outputDirectory">The export directory (created when missing).</param>
    /// <param name="options">Row groups, open days, two-tower options; null for the defaults.</param>
    /// <param name="progress">Receives the events written so far.</param>
    /// <param name="cancellationToken">Cancels the export (files written so far stay).</param>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: bad options, or an export is already in the directory.</exception>
    public static Task<TrainingExportReport> ExportAsync(InteractionDataset dataset, string outputDirectory, TrainingExportOptions? options = null,
        IProgress<TrainingExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return ExportAsync(InDayOrder(dataset.Interactions, cancellationToken), dataset.Name, $"data set {dataset.Name}", dataset.Interactions.Length,
            (_, _, _) => Task.FromResult((dataset.Users, dataset.Items)), outputDirectory, options, progress, cancellationToken);
    }

    /// <summary>
    /// Exports a stream of events with the given profiles (the streaming core, for sources of any size).
    /// </summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="name">The data set's name for schema.json.</param>
    /// <param name="users">User profiles.</param>
    /// <param name="items">Item profiles.</param>
    /// <param name="outputDirectory">The export directory (created when missing).</param>
    /// <param name="options">Row groups, open days, two-tower options; null for the defaults.</param>
    /// <param name="progress">Receives the events written so far.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: bad options, or an export is already in the directory.</exception>
    public static Task<TrainingExportReport> ExportAsync(IAsyncEnumerable<Interaction> events, string name, ProfileTable users, ProfileTable items, string outputDirectory,
        TrainingExportOptions? options = null, IProgress<TrainingExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        return ExportAsync(events, name, $"events of {name}", null, (_, _, _) => Task.FromResult((users, items)), outputDirectory, options, progress, cancellationToken);
    }

    /// <summary>
    /// Exports a time window of the event log, read page by page from <paramref name="source"/>, with the profiles that
    /// apply to the window's users and items (<see cref="EventLogDataSource.ProfilesAsync"/>). An empty window writes an
    /// export with no events.
    /// </summary>
    /// <param name="source">The event log.</param>
    /// <param name="window">The window.</param>
    /// <param name="profiles">A data set giving the profile schemas and profiles, or null for none.</param>
    /// <param name="outputDirectory">The export directory (created when missing).</param>
    /// <param name="options">Row groups, open days, two-tower options; null for the defaults.</param>
    /// <param name="progress">Receives the events written so far.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: bad options, or an export is already in the directory.</exception>
    public static Task<TrainingExportReport> ExportAsync(EventLogDataSource source, EventLogWindow window, InteractionDataset? profiles, string outputDirectory,
        TrainingExportOptions? options = null, IProgress<TrainingExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(window);
        var name = $"events-{window.Since.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{window.Until.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
        var pageSize = Math.Clamp((options ?? new TrainingExportOptions()).RowGroupSize, 1_000, 50_000);
        return ExportAsync(Events(source.ReadAsync(window, pageSize, cancellationToken)), name,
            $"event log window {window.Since.UtcDateTime:u} .. {window.Until.UtcDateTime:u} (until exclusive)", null,
            (users, items, ct) => source.ProfilesAsync(users, items, profiles, ct), outputDirectory, options, progress, cancellationToken);
    }

    private static async Task<TrainingExportReport> ExportAsync(IAsyncEnumerable<Interaction> events, string name, string sourceText, long? total,
        Func<IReadOnlyCollection<long>, IReadOnlyCollection<long>, CancellationToken, Task<(ProfileTable Users, ProfileTable Items)>> profilesOf,
        string outputDirectory, TrainingExportOptions? options, IProgress<TrainingExportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        options ??= new TrainingExportOptions();
        options.Validate();
        var root = Prepare(outputDirectory, options.Overwrite);

        var users = new HashSet<long>();
        var items = new HashSet<long>();
        var positiveUsers = new HashSet<long>();
        var positiveItems = new HashSet<long>();
        long written = 0, skipped = 0;
        IReadOnlyList<ExportedDay> days;
        int rowGroups;
        await using (var partitions = new DayPartitionWriter(root, options.RowGroupSize, options.MaxOpenDays))
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (DayOf(e) is not { } day)
                {
                    skipped++;
                    continue;
                }

                await partitions.AddAsync(day, e, cancellationToken).ConfigureAwait(false);
                users.Add(e.UserId);
                items.Add(e.ItemId);
                if (e.IsPositive)
                {
                    positiveUsers.Add(e.UserId);
                    positiveItems.Add(e.ItemId);
                }

                if (++written % 100_000 == 0)
                {
                    progress?.Report(new TrainingExportProgress("events", written, total));
                }
            }

            days = await partitions.CompleteAsync(cancellationToken).ConfigureAwait(false);
            rowGroups = partitions.RowGroups;
        }

        progress?.Report(new TrainingExportProgress("profiles", written, total));
        var (userProfiles, itemProfiles) = await profilesOf(users, items, cancellationToken).ConfigureAwait(false);
        var features = positiveUsers.Count == 0 ? null
            : TwoTowerFeatureSchema.Derive(positiveUsers, userProfiles, positiveItems, itemProfiles, options.TwoTower);
        if (options.TwoTower.IndexColdItems)
        {
            items.UnionWith(itemProfiles.All.Select(p => p.Id));
        }

        var userColumns = ProfileParquetWriter.Describe("user_id", "user", userProfiles.Schema);
        var itemColumns = ProfileParquetWriter.Describe("item_id", "item", itemProfiles.Schema);
        var userIds = users.Order().ToArray();
        var itemIds = items.Order().ToArray();
        await ProfileParquetWriter.WriteAsync(Path.Combine(root, UsersFile), "user_id", userIds, userProfiles, features?.User, options.RowGroupSize, cancellationToken).ConfigureAwait(false);
        await ProfileParquetWriter.WriteAsync(Path.Combine(root, ItemsFile), "item_id", itemIds, itemProfiles, features?.Item, options.RowGroupSize, cancellationToken).ConfigureAwait(false);

        var report = new TrainingExportReport(root, written, skipped, days, userIds.Length, itemIds.Length, rowGroups);
        progress?.Report(new TrainingExportProgress("schema", written, total));
        await SchemaDocument.WriteAsync(Path.Combine(root, SchemaFile),
            new SchemaDocument.ExportSummary(name, sourceText, options, report, userColumns, itemColumns, features), cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>The event's UTC day, or null for an event that is not exported (undefined type, weight not finite, time out of range).</summary>
    private static DateOnly? DayOf(Interaction e)
    {
        if (!Enum.IsDefined(e.Type) || !float.IsFinite(e.Weight)
            || e.Timestamp < DateTimeOffset.MinValue.ToUnixTimeSeconds() || e.Timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        return DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(e.Timestamp).UtcDateTime);
    }

    /// <summary>Creates the directory; refuses (or, with overwrite, removes) an export already in it.</summary>
    private static string Prepare(string outputDirectory, bool overwrite)
    {
        var root = Path.GetFullPath(outputDirectory);
        if (File.Exists(root))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"The export directory '{root}' is a file.");
        }

        var existing = new[] { SchemaFile, UsersFile, ItemsFile, EventsFolder }.Where(n => Path.Exists(Path.Combine(root, n))).ToArray();
        if (existing.Length > 0 && !overwrite)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"The export directory '{root}' already holds an export ({string.Join(", ", existing)}); choose another directory or overwrite it.");
        }

        foreach (var name in existing)
        {
            var path = Path.Combine(root, name);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }

        Directory.CreateDirectory(root);
        return root;
    }

    private static async IAsyncEnumerable<Interaction> Events(IAsyncEnumerable<EventRecord> records)
    {
        await foreach (var record in records.ConfigureAwait(false))
        {
            yield return record.Event;
        }
    }

    /// <summary>
    /// The events of an in-memory data set grouped by UTC day (stable: source order within a day), so that one day is
    /// open at a time and each day gets one part file of full row groups however the source is ordered (ML-100K is
    /// ordered by user).
    /// </summary>
#pragma warning disable CS1998 // an async iterator over an array: no await needed
    private static async IAsyncEnumerable<Interaction> InDayOrder(Interaction[] events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        var days = new long[events.Length];
        var order = new int[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            days[i] = DayKey(events[i].Timestamp);
            order[i] = i;
        }

        Array.Sort(days, order);
        for (var start = 0; start < order.Length;)
        {
            // Array.Sort is not stable: restore source order within each day.
            var end = start;
            while (end < order.Length && days[end] == days[start])
            {
                end++;
            }

            Array.Sort(order, start, end - start);
            for (var i = start; i < end; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return events[order[i]];
            }

            start = end;
        }
    }

    private static long DayKey(long seconds) => Math.DivRem(seconds, 86_400, out var rest) - (rest < 0 ? 1 : 0);
}
