namespace RecFramework.Catalog;

/// <summary>
/// Item metadata for channels: id → profile fields (author, genres, tags, any item profile field), publish time and
/// first-seen time, and items by field value newest first. Seeded at start-up from the data set's item profiles and
/// event times (<see cref="ItemCatalogSeeder"/>), kept current at run time through <see cref="UpsertAsync"/> (profile
/// updates) and <see cref="ObserveAsync"/> (events). Reads are synchronous and cheap: a channel calls them on the
/// request path. Implementations are thread-safe singletons.
/// </summary>
public interface IItemCatalog
{
    /// <summary>Number of items known.</summary>
    int Count { get; }

    /// <summary>The item's entry, or null when the catalogue has never heard of it.</summary>
    CatalogItem? Get(long itemId);

    /// <summary>
    /// Up to <paramref name="count"/> items whose <paramref name="field"/> has the value <paramref name="value"/>
    /// (any of its values, for multi-valued fields), newest first by <see cref="CatalogItem.Time"/> (items without a
    /// time last; ties by ascending id), skipping the ids in <paramref name="exclude"/>.
    /// </summary>
    IReadOnlyList<CatalogItem> Newest(string field, string value, int count, IReadOnlySet<long>? exclude = null);

    /// <summary>
    /// Inserts or replaces an item's fields and publish time. A first-seen time already known is kept when
    /// <paramref name="item"/> has none (or a later one).
    /// </summary>
    ValueTask UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="itemId"/> appeared in an event at <paramref name="time"/>: an unknown item is added
    /// (no fields, first seen then); a known one keeps the earliest first-seen time.
    /// </summary>
    ValueTask ObserveAsync(long itemId, DateTimeOffset time, CancellationToken cancellationToken = default);
}
