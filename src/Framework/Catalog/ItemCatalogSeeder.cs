using RecFramework.Data;

namespace RecFramework.Catalog;

/// <summary>Fills an <see cref="IItemCatalog"/> from a data set: item profiles first, then each item's first event.</summary>
public static class ItemCatalogSeeder
{
    /// <summary>
    /// Upserts every item profile of <paramref name="data"/> (publish time from <paramref name="publishTimeField"/>),
    /// then observes the earliest event of every item in the log, so items without a publish time (or without a
    /// profile) still have a time to be ordered by.
    /// </summary>
    public static async Task SeedAsync(IItemCatalog catalog, InteractionDataset data, string? publishTimeField = ItemCatalogOptions.DefaultPublishTimeField, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        foreach (var profile in data.Items.All)
        {
            await catalog.UpsertAsync(CatalogItem.FromProfile(profile, data.Items.Schema, publishTimeField), cancellationToken).ConfigureAwait(false);
        }

        var firstSeen = new Dictionary<long, long>();
        foreach (ref readonly var e in data.Interactions.AsSpan())
        {
            if (!firstSeen.TryGetValue(e.ItemId, out var seen) || e.Timestamp < seen)
            {
                firstSeen[e.ItemId] = e.Timestamp;
            }
        }

        foreach (var (itemId, seconds) in firstSeen)
        {
            await catalog.ObserveAsync(itemId, DateTimeOffset.FromUnixTimeSeconds(seconds), cancellationToken).ConfigureAwait(false);
        }
    }
}
