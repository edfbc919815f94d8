using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Diagnostics;
using RecFramework.Pipeline;

namespace RecFramework.Lifecycle;

/// <summary>
/// The one implementation of a channel's life: build a version from data (the keyed <see cref="IChannelBuilder"/>),
/// open the latest or a named published version, activate it on the keyed <see cref="IArtifactChannel"/> (the
/// previous version is retired when its last request lets go of it). Start-up, admin activation, offline evaluation,
/// variant comparison and the CLI all go through it. Registered as a singleton by <c>AddRecFramework</c>.
/// </summary>
public sealed class ChannelLifecycle
{
    private readonly IServiceProvider _services;
    private readonly ChannelCatalog _catalog;
    private readonly IOptionsMonitor<ChannelOptions> _channelOptions;
    private readonly ILogger _logger;

    /// <summary>Creates the lifecycle over the container's channels, builders and artifact store.</summary>
    public ChannelLifecycle(IServiceProvider services, ChannelCatalog catalog, IArtifactStore store, IOptionsMonitor<ChannelOptions> channelOptions, ILogger<ChannelLifecycle> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(channelOptions);
        ArgumentNullException.ThrowIfNull(logger);
        _services = services;
        _catalog = catalog;
        Store = store;
        _channelOptions = channelOptions;
        _logger = logger;
    }

    /// <summary>Where versions are published and read.</summary>
    public IArtifactStore Store { get; }

    /// <summary>Registered channel names, sorted.</summary>
    public IReadOnlyList<string> Channels => _catalog.Names;

    /// <summary>The channel's artifact side, or null when it serves no artifacts.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.UnknownChannel"/>: not registered.</exception>
    public IArtifactChannel? ArtifactChannel(string channel) => Channel(channel) as IArtifactChannel;

    /// <summary>The channel's builder, or null when it has none.</summary>
    public IChannelBuilder? Builder(string channel) => _services.GetKeyedService<IChannelBuilder>(channel);

    /// <summary>Runs the channel's builder on <paramref name="data"/> and publishes a new version (not activated).</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.UnknownChannel"/>: no builder is registered under that name.</exception>
    public async Task<ArtifactHandle> BuildAsync(string channel, InteractionDataset data, ChannelBuildSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(data);
        settings ??= new ChannelBuildSettings();
        var builder = Builder(channel)
            ?? throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' has no registered builder (registered channels: {string.Join(", ", Channels)}).");
        Log.Building(_logger, channel, data.Name, data.Interactions.Length);
        var watch = Stopwatch.StartNew();
        var store = new BuildArtifactStore(Store, settings.ManifestProperties, settings.ManifestMetrics);
        ArtifactHandle handle;
        try
        {
            handle = await builder.BuildAsync(new ChannelBuildContext
            {
                Channel = channel,
                Data = data,
                Store = store,
                Seed = settings.Seed,
                Parameters = settings.Parameters,
                Progress = settings.Progress,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Cancelled (a stopping service) or failed: what the builder staged is removed, nothing was published.
            var discarded = store.DiscardUnpublished();
            Log.BuildAbandoned(_logger, channel, ex is OperationCanceledException ? "cancelled" : "failed", watch.Elapsed.TotalSeconds, discarded.Count == 0 ? "nothing" : string.Join(", ", discarded));
            throw;
        }

        Log.Built(_logger, channel, handle.Manifest.Version, watch.Elapsed.TotalSeconds);
        return handle;
    }

    /// <summary>Opens the latest published version of <paramref name="channel"/>, or <paramref name="version"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.ArtifactNotFound"/> or <see cref="RecError.ArtifactCorrupt"/>.</exception>
    public ArtifactHandle Open(string channel, string? version = null) => Store.Open(channel, version);

    /// <summary>Activates <paramref name="handle"/> on the channel; the previous version is retired. Returns the version now served.</summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="handle">An opened version of that channel.</param>
    /// <param name="offThreadPool">
    /// Load on a dedicated background-priority thread (for a serving process: loading a model and its index is
    /// seconds of synchronous work that should neither hold a request thread nor take a core from requests).
    /// </param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="RecFrameworkException">The channel is unknown or serves no artifacts, or the version does not load.</exception>
    /// <remarks>
    /// The version is then recorded as the channel's active one in the store (<see cref="IArtifactStore.SetActiveVersion"/>):
    /// replicas that watch the store (<c>RecFramework:Artifacts:WatchSeconds</c>) swap to it, and a restart brings it up.
    /// </remarks>
    public async Task<string> ActivateAsync(string channel, ArtifactHandle handle, bool offThreadPool = false, CancellationToken cancellationToken = default)
    {
        // The swap and its record together: the artifact watcher never sees the new version served beside the old record.
        await ActivationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ActivateAsync(channel, handle, offThreadPool, record: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ActivationGate.Release();
        }
    }

    /// <summary>Held by a recorded activation and by the artifact watcher's check of a channel.</summary>
    internal SemaphoreSlim ActivationGate { get; } = new(1, 1);

    /// <summary><see cref="ActivateAsync(string, ArtifactHandle, bool, CancellationToken)"/>, recording the version in the store only when <paramref name="record"/>.</summary>
    internal async Task<string> ActivateAsync(string channel, ArtifactHandle handle, bool offThreadPool, bool record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var target = ArtifactChannel(channel)
            ?? throw new RecFrameworkException(RecError.InvalidArgument, $"Channel '{channel}' does not serve artifacts.");
        var previous = target.ActiveVersion;
        var watch = Stopwatch.StartNew();
        try
        {
            if (offThreadPool)
            {
                await BackgroundThreadPriority.RunAsync($"activate {channel}", () => target.ActivateAsync(handle, cancellationToken).AsTask()).Unwrap().ConfigureAwait(false);
            }
            else
            {
                await target.ActivateAsync(handle, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not RecFrameworkException and not OperationCanceledException)
        {
            // A loader that let a reader's exception escape: the version is refused with the reason, never a crash.
            throw new RecFrameworkException(RecError.ArtifactCorrupt,
                $"Artifact {channel}/{handle.Manifest.Version} does not load ({ex.GetType().Name}: {ex.Message}).", ex);
        }

        var active = target.ActiveVersion ?? handle.Manifest.Version;
        if (record)
        {
            Store.SetActiveVersion(channel, active);
        }

        Log.Switched(_logger, channel, active, previous ?? "(none)", watch.Elapsed.TotalSeconds);
        return active;
    }

    /// <summary>Opens <paramref name="version"/> (null: the latest) and activates it.</summary>
    public Task<string> ActivateVersionAsync(string channel, string? version, bool offThreadPool = false, CancellationToken cancellationToken = default) =>
        ActivateAsync(channel, Open(channel, version), offThreadPool, cancellationToken);

    /// <summary>Builds a new version from <paramref name="data"/> and activates it when the channel serves artifacts.</summary>
    public async Task<ArtifactHandle> BuildAndActivateAsync(string channel, InteractionDataset data, ChannelBuildSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var handle = await BuildAsync(channel, data, settings, cancellationToken).ConfigureAwait(false);
        if (ArtifactChannel(channel) is not null)
        {
            await ActivateAsync(channel, handle, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return handle;
    }

    /// <summary>
    /// Gives an artifact-backed channel a version to serve: the latest published one, or — when none is published,
    /// <paramref name="buildMissing"/> is set and <paramref name="data"/> is given — one built now. A disabled channel
    /// with nothing published is skipped. Failures are logged and returned, never thrown.
    /// </summary>
    public async Task<ChannelBringUp> BringUpAsync(string channel, InteractionDataset? data, bool buildMissing, CancellationToken cancellationToken = default)
    {
        if (ArtifactChannel(channel) is null)
        {
            return new ChannelBringUp(channel, ChannelBringUpOutcome.NotArtifactBacked, null, 0);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            var published = Store.ListAll(channel).Count > 0;
            if (!published && !_channelOptions.Get(channel).Enabled)
            {
                return Skip(channel, "disabled and nothing is published");
            }

            if (!published && (data is null || !buildMissing || Builder(channel) is null))
            {
                return Skip(channel, data is null ? "nothing is published and no data was given to build from"
                    : !buildMissing ? "nothing is published and building missing versions is off" : "nothing is published and it has no builder");
            }

            if (published)
            {
                return await BringUpPublishedAsync(channel, watch, cancellationToken).ConfigureAwait(false);
            }

            var built = await BuildAsync(channel, data!, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = await ActivateAsync(channel, built, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ChannelBringUp(channel, ChannelBringUpOutcome.Built, version, watch.Elapsed.TotalSeconds);
        }
        catch (RecFrameworkException ex)
        {
            Log.NotBroughtUp(_logger, channel, ex.Message);
            return new ChannelBringUp(channel, ChannelBringUpOutcome.Failed, ArtifactChannel(channel)?.ActiveVersion, watch.Elapsed.TotalSeconds, ex.Message);
        }
    }

    /// <summary>
    /// Activates the version recorded as active in the store (the last one activated, which a gate may have kept
    /// below the newest), else the newest published version that opens (manifest, folder, checksums) and loads; each
    /// version skipped on the way is logged with its reason. Fails only when none does. The record is left as it is.
    /// </summary>
    private async Task<ChannelBringUp> BringUpPublishedAsync(string channel, Stopwatch watch, CancellationToken cancellationToken)
    {
        var skipped = new List<string>();
        var versions = Store.ListAll(channel).Select(l => l.Version).Reverse().ToList();
        if (Store.ActiveVersion(channel) is { } recorded && versions.Remove(recorded))
        {
            versions.Insert(0, recorded);
        }

        foreach (var candidate in versions)
        {
            try
            {
                var handle = Open(channel, candidate);
                Log.Opening(_logger, channel, handle.Manifest.Version);
                var version = await ActivateAsync(channel, handle, offThreadPool: false, record: false, cancellationToken).ConfigureAwait(false);
                return new ChannelBringUp(channel, ChannelBringUpOutcome.Opened, version, watch.Elapsed.TotalSeconds,
                    skipped.Count == 0 ? null : $"skipped {string.Join("; ", skipped)}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // RecFrameworkException for a refused version; anything else (an unreadable file) skips it all the same.
                Log.VersionSkipped(_logger, channel, candidate, ex.Message);
                skipped.Add($"{candidate}: {ex.Message}");
            }
        }

        throw new RecFrameworkException(RecError.ArtifactCorrupt, $"no published version of '{channel}' is usable ({string.Join("; ", skipped)})");
    }

    /// <summary><see cref="BringUpAsync"/> for every registered channel, one after the other.</summary>
    public async Task<IReadOnlyList<ChannelBringUp>> BringUpAllAsync(InteractionDataset? data, bool buildMissing, IProgress<ChannelBringUp>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<ChannelBringUp>(Channels.Count);
        foreach (var name in Channels)
        {
            var result = await BringUpAsync(name, data, buildMissing, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        return results;
    }

    /// <summary>
    /// One name per channel: every registered channel must report its registration name as its <c>Name</c> (a channel
    /// that says otherwise would make attribution, configuration and experiments disagree). Resolves every channel.
    /// </summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidConfiguration"/> naming every channel that disagrees.</exception>
    public void EnsureNamesMatchRegistrations()
    {
        var failures = new List<string>();
        foreach (var name in Channels)
        {
            var channel = Channel(name);
            if (!string.Equals(channel.Name, name, StringComparison.Ordinal))
            {
                failures.Add($"Channel registered as '{name}' ({channel.GetType().Name}) reports Name '{channel.Name}'; a channel's name is its registration name: return the registered name (inject it with [ServiceKey] string name) or register it as '{channel.Name}'.");
            }
        }

        if (failures.Count > 0)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, string.Join(" ", failures));
        }
    }

    private ChannelBringUp Skip(string channel, string reason)
    {
        Log.Skipped(_logger, channel, reason);
        return new ChannelBringUp(channel, ChannelBringUpOutcome.Skipped, null, 0, reason);
    }

    private IRecallChannel Channel(string channel) =>
        _services.GetKeyedService<IRecallChannel>(channel)
        ?? throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' is not registered (registered channels: {string.Join(", ", Channels)}).");
}
