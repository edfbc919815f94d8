using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Catalog;
using RecFramework.Data;

namespace RecFramework.Stores;

/// <summary>Fills the online stores from a dataset snapshot (embedded default: the service starts from a file).</summary>
public static class OnlineStoreSeeder
{
    /// <summary>
    /// Seeds the stores <paramref name="services"/> holds: history, popularity and user profiles as the overload
    /// taking the stores does, then the <see cref="IItemCatalog"/> (item profiles, publish time from
    /// <see cref="ItemCatalogOptions.PublishTimeField"/>, first-seen times from the log). The start-up service calls this.
    /// </summary>
    public static async Task SeedAsync(InteractionDataset data, IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(services);
        await SeedAsync(data, services.GetRequiredService<IUserHistoryStore>(), services.GetRequiredService<IItemPopularityStore>(),
            services.GetRequiredService<IUserProfileStore>(), cancellationToken).ConfigureAwait(false);
        var options = services.GetService<IOptions<ItemCatalogOptions>>()?.Value ?? new ItemCatalogOptions();
        await ItemCatalogSeeder.SeedAsync(services.GetRequiredService<IItemCatalog>(), data, options.PublishTimeField, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends each user's positive interactions in time order to the history store (which keeps its own last-N),
    /// counts positives into the popularity store and upserts user profiles.
    /// </summary>
    public static async Task SeedAsync(InteractionDataset data, IUserHistoryStore history, IItemPopularityStore popularity, IUserProfileStore profiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentNullException.ThrowIfNull(profiles);
        var positives = data.Interactions.Where(e => e.IsPositive).ToArray();
        Array.Sort(positives, static (a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.UserId.CompareTo(b.UserId));
        var counts = new Dictionary<long, double>();
        foreach (var e in positives)
        {
            await history.AppendAsync(e, cancellationToken).ConfigureAwait(false);
            counts[e.ItemId] = counts.GetValueOrDefault(e.ItemId) + 1;
        }

        await popularity.ReplaceAsync(counts, cancellationToken).ConfigureAwait(false);
        foreach (var profile in data.Users.All)
        {
            await profiles.UpsertAsync(profile, cancellationToken).ConfigureAwait(false);
        }
    }
}
