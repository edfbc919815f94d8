namespace RecFramework.Stores;

/// <summary>
/// User vectors shared by replicas, per channel, model version and user (the two-tower channel caches its user-tower
/// output here). Keys include the model version, so vectors of one model are never served for another.
/// </summary>
public interface IUserEmbeddingStore
{
    /// <summary>The stored vector, or null when there is none (or it expired).</summary>
    ValueTask<float[]?> GetAsync(string channel, string version, long userId, CancellationToken cancellationToken = default);

    /// <summary>Stores (replaces) a vector that expires after <paramref name="timeToLive"/>.</summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="version">Model (artifact) version the vector was computed with.</param>
    /// <param name="userId">User id.</param>
    /// <param name="vector">The vector; copied.</param>
    /// <param name="timeToLive">Positive lifetime of the entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask SetAsync(string channel, string version, long userId, ReadOnlyMemory<float> vector, TimeSpan timeToLive, CancellationToken cancellationToken = default);
}
