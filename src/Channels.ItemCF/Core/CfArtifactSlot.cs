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
/// keeps only the id spaces and the last-N index in process.
/// </summary>
internal sealed class CfArtifactSlot<TOptions>
    where TOptions : NeighbourhoodOptions
{
    private readonly string _channel;
    private readonly bool _userNeighbours;
    private readonly TOptions _configured;
    private readonly ILogger _logger;
    private CfArtifact? _artifact;

    /// <summary>Creates the slot of <paramref name="channel"/> with its configured options.</summary>
    /// <exception cref="RecFrameworkException">
    /// <see cref="NeighbourSource.Store"/> is configured but no store is given (<see cref="RecError.InvalidConfiguration"/>).
    /// </exception>
    public CfArtifactSlot(string channel, bool userNeighbours, TOptions configured, INeighbourListStore? store = null, ILogger? logger = null)
    {
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
    public string? ActiveVersion => Volatile.Read(ref _artifact)?.Version;

    /// <summary>The active artifact.</summary>
    /// <exception cref="RecFrameworkException">None is active (<see cref="RecError.ChannelNotReady"/>).</exception>
    public CfArtifact Current => Volatile.Read(ref _artifact)
        ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{_channel}' has no artifact activated; run 'build {_channel}' and activate it.");

    /// <summary>Whether the last activation published the lists to the store (false: another replica had).</summary>
    public bool PublishedLastActivation { get; private set; }

    /// <summary>
    /// Loads <paramref name="handle"/> (its recorded options win over the configured ones), publishes its lists when
    /// reading from the store, and makes it active.
    /// </summary>
    public async ValueTask ActivateAsync(ArtifactHandle handle, CancellationToken cancellationToken)
    {
        var loaded = CfArtifact.Load(handle, _channel, _userNeighbours, _configured);
        if (Store is { } store)
        {
            PublishedLastActivation = await NeighbourStorePublication.EnsurePublishedAsync(
                store, _channel, loaded, TimeSpan.FromSeconds(_configured.NeighbourPublishTimeoutSeconds), _logger, cancellationToken).ConfigureAwait(false);
            loaded = loaded.WithoutNeighbourLists(_userNeighbours);
        }

        Interlocked.Exchange(ref _artifact, loaded);
    }

    /// <summary>Checks a request at the channel boundary and returns the artifact to serve it from.</summary>
    public CfArtifact For(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        return Current;
    }
}
