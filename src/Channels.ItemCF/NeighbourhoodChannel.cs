using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// A neighbourhood recall channel (<c>itemcf</c>, <c>swing</c> or <c>usercf</c>, by <typeparamref name="TOptions"/>).
/// Item kinds: the user's last-N items (request history, else the artifact's last-N index) expand to their top-K
/// similar items, each candidate scored <c>sum_j like(user, j)·sim(candidate, j)</c>. UserCF: the user's top-K similar
/// users (from the artifact) contribute their last-N items, scored <c>sum_v sim(user, v)·like(v, item)</c>; users
/// unknown to the artifact get nothing. Activation loads a new artifact beside the current one and swaps an immutable
/// snapshot reference; scoring uses the options recorded in the artifact (the configured ones only for artifacts
/// without any). With <see cref="NeighbourhoodOptions.NeighbourSource"/> = <see cref="NeighbourSource.Store"/> the
/// neighbour lists come from the shared <see cref="INeighbourListStore"/> (published there on activation), with
/// identical results.
/// </summary>
/// <typeparam name="TOptions">The channel's options class, which also names its kind.</typeparam>
internal sealed class NeighbourhoodChannel<TOptions> : IRecallChannel, IArtifactChannel
    where TOptions : NeighbourhoodOptions, INeighbourhoodKind<TOptions>
{
    private readonly CfArtifactSlot<TOptions> _slot;

    /// <summary>Creates the channel registered as <paramref name="name"/>, with the options named after it.</summary>
    /// <param name="name">Registration key and channel name.</param>
    /// <param name="options">Named options; <c>options.Get(name)</c> is this channel's.</param>
    /// <param name="store">Store of the neighbour lists; needed only with <see cref="NeighbourSource.Store"/>.</param>
    /// <param name="logger">Logger; none: nothing is logged.</param>
    /// <param name="pinned">Store and bounds of versions pinned by requests (<c>{name}.version</c>); none: only the serving version is served.</param>
    public NeighbourhoodChannel([ServiceKey] string name, IOptionsMonitor<TOptions> options, INeighbourListStore? store = null, ILogger<NeighbourhoodChannel<TOptions>>? logger = null, PinnedVersionSource? pinned = null)
        : this(name, (options ?? throw new ArgumentNullException(nameof(options))).Get(name), store, logger, pinned)
    {
    }

    /// <summary>Creates the channel <paramref name="name"/> with the given options (tests, benchmarks).</summary>
    internal NeighbourhoodChannel(string name, TOptions options, INeighbourListStore? store = null, ILogger? logger = null, PinnedVersionSource? pinned = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _slot = new CfArtifactSlot<TOptions>(name, TOptions.UserNeighbours, options, store, logger, pinned);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string? ActiveVersion => _slot.ActiveVersion;

    /// <summary>The options this channel was configured with (artifacts carry their own build options).</summary>
    internal TOptions ConfiguredOptions => _slot.Configured;

    /// <inheritdoc />
    public async ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        using var lease = await _slot.LeaseAsync(request, cancellationToken).ConfigureAwait(false);
        var artifact = lease.Value!;
        if (TOptions.UserNeighbours)
        {
            return _slot.Store is { } userStore
                ? await StoreNeighbourhoodRecall.RecallByUsersAsync(userStore, Name, artifact, request, cancellationToken).ConfigureAwait(false)
                : NeighbourhoodRecall.RecallByUsers(artifact, request, artifact.Options, artifact.LikeModel);
        }

        return _slot.Store is { } itemStore
            ? await StoreNeighbourhoodRecall.RecallByItemsAsync(itemStore, Name, artifact, request, cancellationToken).ConfigureAwait(false)
            : NeighbourhoodRecall.RecallByItems(artifact, request, artifact.Options, artifact.LikeModel);
    }

    /// <summary>Versions pinned by requests (<c>{name}.version</c>) that are loaded now, beside the serving one.</summary>
    public IReadOnlyList<string> PinnedVersions => _slot.PinnedVersions;

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken) => _slot.ActivateAsync(artifact, cancellationToken);

    /// <summary>Whether the last activation published the neighbour lists to the store (false: already there, or not reading the store).</summary>
    internal bool PublishedLastActivation => _slot.PublishedLastActivation;
}
