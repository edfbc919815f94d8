using RecFramework.Data;

namespace RecFramework.Stores;

/// <summary>Fills the online stores from a dataset snapshot (embedded default: the service starts from a file).</summary>
public static class OnlineStoreSeeder
{
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
