using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Catalog;
using RecFramework.Stores;

namespace RecFramework.Data;

/// <summary>
/// The service's own event log as training data: reads a time window of an <see cref="IEventStore"/> (SQLite or
/// Redis) and joins the profiles that apply (the user profile store, the item catalogue, a profile data set) into the
/// <see cref="InteractionDataset"/> every builder takes.
/// </summary>
/// <remarks>
/// The log is ordered by sequence, not by event time (a client may send an event late), so a read scans the log from
/// <see cref="EventLogWindow.AfterSequence"/> on, in pages of <see cref="EventLogLoadOptions.PageSize"/>, and keeps the
/// events inside the window: memory grows with the window, not with the log. <see cref="ReadAsync"/> streams the same
/// events without keeping any.
/// </remarks>
public sealed class EventLogDataSource
{
    private readonly IEventStore _events;
    private readonly IUserProfileStore? _users;
    private readonly IItemCatalog? _items;

    /// <summary>Creates a source over <paramref name="events"/>.</summary>
    /// <param name="events">The event log.</param>
    /// <param name="userProfiles">Profiles of the window's users (they win over the profile data set's), or null.</param>
    /// <param name="itemCatalog">Profile fields of items the profile data set lacks (items first seen live), or null.</param>
    public EventLogDataSource(IEventStore events, IUserProfileStore? userProfiles = null, IItemCatalog? itemCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
        _users = userProfiles;
        _items = itemCatalog;
    }

    /// <summary>
    /// A source over the event log the services registered (<see cref="IEventStore"/>: the embedded SQLite log of
    /// <c>AddRecFramework</c>, or another backend such as <c>AddRedisStores</c>) with their user profile store and item
    /// catalogue when registered.
    /// </summary>
    /// <param name="services">The service provider.</param>
    /// <param name="requireExistingFile">
    /// Refuse, before the log is opened, when the file at <see cref="StoreOptions.EventsPath"/> does not exist: opening
    /// the embedded SQLite log creates it, so a mistyped path would read as an empty window. Pass true when the log is
    /// the embedded one, false when another backend replaced it.
    /// </param>
    /// <returns>The source.</returns>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: <paramref name="requireExistingFile"/> and no file, named with its key.</exception>
    public static EventLogDataSource FromServices(IServiceProvider services, bool requireExistingFile = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (requireExistingFile)
        {
            var path = Path.GetFullPath(services.GetRequiredService<IOptions<StoreOptions>>().Value.EventsPath);
            if (!File.Exists(path))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"The event log '{path}' (RecFramework:Stores:EventsPath) does not exist.");
            }
        }

        return new EventLogDataSource(services.GetRequiredService<IEventStore>(), services.GetService<IUserProfileStore>(), services.GetService<IItemCatalog>());
    }

    /// <summary>The events of <paramref name="window"/> in log order, read page by page (nothing is kept).</summary>
    /// <param name="window">The time window (and the sequence to start after).</param>
    /// <param name="pageSize">Events asked of the store per read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async IAsyncEnumerable<EventRecord> ReadAsync(EventLogWindow window, int pageSize = 10_000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        await foreach (var record in ScanAsync(window, pageSize, null, cancellationToken).ConfigureAwait(false))
        {
            if (window.Contains(record.Event.Timestamp))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="window"/> into a dataset: its events (validated as the file loaders validate rows), the
    /// profiles of its users and items, and counts of what was new. An empty window gives an empty dataset
    /// (<see cref="EventLogLoad.IsEmpty"/>); builders need at least one event.
    /// </summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/>: a malformed event or profile, when not skipping.</exception>
    public async Task<EventLogLoad> LoadAsync(EventLogWindow window, EventLogLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        options ??= new EventLogLoadOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PageSize);
        var sink = new RowErrorSink(options.Validation);
        var events = new List<Interaction>();
        var scan = new ScanState { LastSequence = window.AfterSequence };
        await foreach (var record in ScanAsync(window, options.PageSize, scan, cancellationToken).ConfigureAwait(false))
        {
            var e = record.Event;
            if (!window.Contains(e.Timestamp))
            {
                continue;
            }

            if (Validate(record) is { } reason)
            {
                sink.Fail($"events:seq {record.Sequence.ToString(CultureInfo.InvariantCulture)}", reason.Reason, reason.Value);
                continue;
            }

            events.Add(e);
            sink.Rows++;
        }

        var interactions = events.ToArray();
        var profiles = options.Profiles;
        var known = profiles is null ? null : KnownIds(profiles);
        var users = await UserProfilesAsync(interactions.Select(e => e.UserId).Distinct(), profiles?.Users, sink, cancellationToken).ConfigureAwait(false);
        var items = ItemProfiles(interactions.Select(e => e.ItemId).Distinct(), profiles?.Items);
        var name = options.Name ?? $"events-{window.Since.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{window.Until.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
        var newUsers = interactions.Select(e => e.UserId).Distinct().Count(id => known is null || !known.Value.Users.Contains(id));
        var newItems = interactions.Select(e => e.ItemId).Distinct().Count(id => known is null || !known.Value.Items.Contains(id));
        return new EventLogLoad(new InteractionDataset(name, interactions, users, items), window, sink.ToReport(), scan.Scanned, scan.LastSequence, newUsers, newItems);
    }

    /// <summary>Every event after the window's sequence, page by page; <paramref name="state"/> counts them.</summary>
    private async IAsyncEnumerable<EventRecord> ScanAsync(EventLogWindow window, int pageSize, ScanState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var after = window.AfterSequence;
        while (true)
        {
            var read = 0;
            await foreach (var record in _events.ReadAsync(after, pageSize, cancellationToken).ConfigureAwait(false))
            {
                read++;
                after = record.Sequence;
                if (state is not null)
                {
                    state.Scanned++;
                    state.LastSequence = after;
                }

                yield return record;
            }

            if (read < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The profiles that apply to <paramref name="userIds"/> and <paramref name="itemIds"/>, joined as
    /// <see cref="LoadAsync"/> joins them: the profile data set's, each user's replaced by the user profile store's,
    /// plus the catalogue's fields for items the data set lacks. For callers that stream the events
    /// (<see cref="ReadAsync"/>) and collect the ids themselves.
    /// </summary>
    /// <param name="userIds">Distinct users of the events.</param>
    /// <param name="itemIds">Distinct items of the events.</param>
    /// <param name="profiles">The data set giving the profile schemas and profiles, or null (then the tables are empty).</param>
    /// <param name="cancellationToken">Cancels the store reads.</param>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/>: a stored profile does not fit the schema.</exception>
    public async Task<(ProfileTable Users, ProfileTable Items)> ProfilesAsync(IEnumerable<long> userIds, IEnumerable<long> itemIds, InteractionDataset? profiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        var sink = new RowErrorSink(LoadOptions.Strict);
        var users = await UserProfilesAsync(userIds, profiles?.Users, sink, cancellationToken).ConfigureAwait(false);
        return (users, ItemProfiles(itemIds, profiles?.Items));
    }

    private static (string Reason, string Value)? Validate(EventRecord record)
    {
        var e = record.Event;
        if (!Enum.IsDefined(e.Type))
        {
            return ($"event type is not one of {string.Join(", ", InteractionTypes.Names)}", ((int)e.Type).ToString(CultureInfo.InvariantCulture));
        }

        return float.IsFinite(e.Weight) ? null : ("weight is not a finite number", e.Weight.ToString(CultureInfo.InvariantCulture));
    }

    private static (HashSet<long> Users, HashSet<long> Items)? KnownIds(InteractionDataset profiles)
    {
        var users = new HashSet<long>(profiles.Users.All.Select(p => p.Id));
        var items = new HashSet<long>(profiles.Items.All.Select(p => p.Id));
        foreach (ref readonly var e in profiles.Interactions.AsSpan())
        {
            users.Add(e.UserId);
            items.Add(e.ItemId);
        }

        return (users, items);
    }

    /// <summary>The profile data set's user profiles, each window user's replaced by the store's when it has one.</summary>
    private async Task<ProfileTable> UserProfilesAsync(IEnumerable<long> userIds, ProfileTable? given, RowErrorSink sink, CancellationToken cancellationToken)
    {
        var schema = given?.Schema ?? FeatureSchema.Empty;
        if (schema.Fields.Count == 0)
        {
            return given ?? ProfileTable.Empty;
        }

        var profiles = given!.All.ToDictionary(p => p.Id);
        if (_users is not null)
        {
            foreach (var id in userIds)
            {
                if (await _users.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
                {
                    continue;
                }

                if (stored.Values.Count != schema.Fields.Count)
                {
                    sink.Fail($"user profile store:user {id.ToString(CultureInfo.InvariantCulture)}",
                        $"the profile has {stored.Values.Count} fields but the schema has {schema.Fields.Count}", string.Join(",", schema.Fields.Select(f => f.Name)));
                    continue;
                }

                profiles[id] = stored;
            }
        }

        return new ProfileTable(schema, profiles.Values);
    }

    /// <summary>The profile data set's item profiles, plus the catalogue's fields (by schema field name) for window items it lacks.</summary>
    private ProfileTable ItemProfiles(IEnumerable<long> itemIds, ProfileTable? given)
    {
        var schema = given?.Schema ?? FeatureSchema.Empty;
        if (schema.Fields.Count == 0 || _items is null)
        {
            return given ?? ProfileTable.Empty;
        }

        var added = new List<Profile>();
        foreach (var id in itemIds)
        {
            if (given!.TryGet(id, out _) || _items.Get(id) is not { } item)
            {
                continue;
            }

            var values = schema.Fields.Select(f => item.Fields.TryGetValue(f.Name, out var v) ? v : []).ToArray();
            if (values.Any(v => v.Length > 0))
            {
                added.Add(new Profile(id, values));
            }
        }

        return added.Count == 0 ? given! : new ProfileTable(schema, given!.All.Concat(added));
    }

    private sealed class ScanState
    {
        public long Scanned { get; set; }

        public long LastSequence { get; set; }
    }
}
