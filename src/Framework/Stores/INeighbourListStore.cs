namespace RecFramework.Stores;

/// <summary>
/// Neighbour lists of neighbourhood artifacts shared by replicas: per channel and artifact version, an id (item, or
/// user for UserCF) → its top-K neighbours with similarities. A version becomes visible only once it is fully
/// published (its completion marker is written last), so a half-published version is never served.
/// </summary>
/// <remarks>
/// Publication is coordinated: a replica first <see cref="TryClaimAsync">claims</see> a version for a lease; the one
/// that wins writes every list and the marker (or releases its claim when it fails), the others wait for the marker
/// (and claim it themselves if the lease of a crashed publisher runs out). Publishing the same version twice writes the same bytes, so it is idempotent.
/// </remarks>
public interface INeighbourListStore
{
    /// <summary>True when every list of <paramref name="version"/> of <paramref name="channel"/> is published.</summary>
    ValueTask<bool> IsPublishedAsync(string channel, string version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the right to publish a version for <paramref name="lease"/>: true when the caller should publish it
    /// (nobody holds a live claim and it is not published yet), false otherwise.
    /// </summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="version">Artifact version.</param>
    /// <param name="owner">Who claims (logged and stored with the claim, e.g. host name and process id).</param>
    /// <param name="lease">How long the claim holds if its owner never finishes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> TryClaimAsync(string channel, string version, string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the claim on a version if <paramref name="owner"/> still holds it (after a failed publication), so another
    /// replica can publish at once instead of waiting for the lease to run out. Does nothing otherwise.
    /// </summary>
    ValueTask ReleaseClaimAsync(string channel, string version, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every list of a version, then marks the version published and drops the claim. Safe to repeat.
    /// </summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="version">Artifact version.</param>
    /// <param name="lists">Every (id, list) pair of the version; ids are unique.</param>
    /// <param name="cancellationToken">Cancels the call; the version then stays unpublished.</param>
    ValueTask PublishAsync(string channel, string version, IEnumerable<KeyValuePair<long, NeighbourList>> lists, CancellationToken cancellationToken = default);

    /// <summary>
    /// The lists of <paramref name="ids"/> in one round trip, in the order of <paramref name="ids"/> (null for an id
    /// without a list); null when the version is not (fully) published.
    /// </summary>
    ValueTask<NeighbourList?[]?> GetAsync(string channel, string version, IReadOnlyList<long> ids, CancellationToken cancellationToken = default);
}
