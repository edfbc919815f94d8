using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The active artifact of one neighbourhood channel (<typeparamref name="TOptions"/>: its options type, which the
/// artifact's recorded options deserialise to): activation loads a version beside the current one and swaps
/// the reference, so requests in flight finish on the snapshot they read. With <see cref="NeighbourSource.Store"/>
/// activation first makes sure the version's lists are in the store (publishing them when no replica has), then
/// keeps only the id spaces and the last-N index in process. A request pinning another version
/// (<c>{channel}.version</c>) is served by that version, loaded the same way on first use and kept in the bounded
/// set of <see cref="ArtifactVersions{T}"/>.
/// </summary>
internal sealed class CfArtifactSlot<TOptions>
    where TOptions : NeighbourhoodOptions
{
    private readonly string _channel;
    private readonly bool _userNeighbours;
    private readonly TOptions _configured;
    private readonly ILogger _logger;
    private readonly ArtifactVersions<CfArtifact> _versions;

    /// <summary>Creates the slot of <paramref name="channel"/> with its configured options.</summary>
    /// <exception cref="RecFrameworkException">
    /// <see cref="NeighbourSource.Store"/> is configured but no store is given (<see cref="RecError.InvalidConfiguration"/>).
    /// </exception>
    public CfArtifactSlot(string channel, bool userNeighbours, TOptions configured, INeighbourListStore? store = null, ILogger? logger = null, PinnedVersionSource? pinned = null)
    {
        _versions = new ArtifactVersions<CfArtifact>(channel, a => a.Version, async (handle, cancellationToken) => (await LoadAsync(handle, cancellationToken).ConfigureAwait(false)).Artifact, pinned);
        _channel = channel;
        _userNeighbours = userNeighbours;
        _configured = configured;
        _logger = logger ?? NullLogger.Instance;
        if (configured.NeighbourSource == NeighbourSource.Store)
        {
            Store = store ?? throw new RecFrameworkException(RecError.InvalidConfiguration,
                $"Channel '{channel}': NeighbourSource is 'Store' but no {nameof(INeighbourListStore)} is registered (AddRecFramework registers one).");
        }
    }

    /// <summary>The configured options (artifacts without recorded options are scored with them).</summary>
    public TOptions Configured => _configured;

    /// <summary>The store recall reads neighbour lists from, or null to read the in-process index.</summary>
    public INeighbourListStore? Store { get; }

    /// <summary>Version of the active artifact, or null.</summary>
    public string? ActiveVersion => _versions.ActiveVersion;

    /// <summary>Versions pinned by requests that are loaded now, beside the serving one.</summary>
    public IReadOnlyList<string> PinnedVersions => _versions.PinnedVersions;

    /// <summary>Whether the last activation published the lists to the store (false: another replica had).</summary>
    public bool PublishedLastActivation { get; private set; }

    /// <summary>
    /// Loads <paramref name="handle"/> (its recorded options win over the configured ones), publishes its lists when
    /// reading from the store, and makes it active.
    /// </summary>
    public async ValueTask ActivateAsync(ArtifactHandle handle, CancellationToken cancellationToken)
    {
        var (loaded, published) = await LoadAsync(handle, cancellationToken).ConfigureAwait(false);
        PublishedLastActivation = published;
        _versions.Swap(loaded);
    }

    /// <summary>
    /// Checks a request at the channel boundary and leases the artifact to serve it from: the version it pins, else the
    /// serving one.
    /// </summary>
    /// <exception cref="RecFrameworkException">
    /// None is active (<see cref="RecError.ChannelNotReady"/>), or the pinned version cannot be served.
    /// </exception>
    public async ValueTask<ArtifactLease<CfArtifact>> LeaseAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        var lease = await _versions.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        return lease.Value is not null ? lease
            : throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{_channel}' has no artifact activated; run 'build {_channel}' and activate it.");
    }

    /// <summary>Loads a version (to serve, or pinned by requests) and, reading from the store, publishes its lists there.</summary>
    private async ValueTask<(CfArtifact Artifact, bool Published)> LoadAsync(ArtifactHandle handle, CancellationToken cancellationToken)
    {
        var loaded = CfArtifact.Load(handle, _channel, _userNeighbours, _configured);
        if (Store is not { } store)
        {
            return (loaded, false);
        }

        var published = await NeighbourStorePublication.EnsurePublishedAsync(
            store, _channel, loaded, TimeSpan.FromSeconds(_configured.NeighbourPublishTimeoutSeconds), _logger, cancellationToken).ConfigureAwait(false);
        return (loaded.WithoutNeighbourLists(_userNeighbours), published);
    }
}
