using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Data;
using RecFramework.Diagnostics;
using RecFramework.Stores;

namespace RecFramework.Lifecycle;

/// <summary>
/// Hosted start-up of a service (registered by <c>AddRecFramework</c>, options <see cref="ChannelStartupOptions"/>):
/// seeds the online stores from the start-up data when there is any, then brings every channel up through
/// <see cref="ChannelLifecycle"/> (latest published version, or one built from the data). A channel that cannot be
/// brought up is logged and left unready; the service still starts and the pipeline skips it.
/// </summary>
public sealed class ChannelStartupService(
    IServiceProvider services,
    ChannelLifecycle lifecycle,
    IChannelReachability reachability,
    IOptions<ChannelStartupOptions> options,
    ILogger<ChannelStartupService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private volatile IReadOnlyList<ChannelBringUp> _outcomes = [];
    private volatile string? _current;
    private volatile string _stage = "not started";
    private volatile bool _completed;
    private Task _background = Task.CompletedTask;

    /// <summary>True once start-up has finished (whatever each channel's outcome).</summary>
    public bool Completed => _completed;

    /// <summary>The channel being built or opened now, or null.</summary>
    public string? Current => _current;

    /// <summary>What start-up is doing now: loading the data, seeding the stores, bringing a channel up, or done.</summary>
    public string Stage => _stage;

    /// <summary>Per-channel outcomes so far.</summary>
    public IReadOnlyList<ChannelBringUp> Outcomes => _outcomes;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            _stage = "disabled";
            _completed = true;
            return Task.CompletedTask;
        }

        if (!settings.Background)
        {
            return RunAsync(settings, cancellationToken);
        }

        // The server starts listening now; /ready reports the progress until every channel is up.
        _background = Task.Run(async () =>
        {
            try
            {
                await RunAsync(settings, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                _stage = "stopped";
            }
            catch (Exception ex) when (ex is RecFrameworkException or IOException)
            {
                Log.StartupFailed(logger, ex.Message);
                _stage = "failed: " + ex.Message;
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _background.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(ChannelStartupOptions settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        _stage = "loading the start-up data";
        var data = LoadData(settings);
        if (data is not null && settings.SeedStores)
        {
            _stage = "seeding the online stores";
            await OnlineStoreSeeder.SeedAsync(data, services, cancellationToken).ConfigureAwait(false);
            Log.Seeded(logger, data.Name, data.Interactions.Length);
        }

        lifecycle.EnsureNamesMatchRegistrations();
        var outcomes = new List<ChannelBringUp>();
        var fingerprint = data is null ? null : DataFingerprint.Of(data);
        foreach (var name in lifecycle.Channels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _current = name;
            _stage = "bringing up " + name;
            outcomes.Add(await BringUpAsync(name, data, fingerprint, settings, cancellationToken).ConfigureAwait(false));
            _outcomes = outcomes.ToArray();
        }

        _current = null;
        if (settings.CompactHeapAboveMb >= 0 && GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes >= settings.CompactHeapAboveMb * 1024L * 1024L)
        {
            _stage = "compacting the managed heap";
            CompactHeap();
        }

        _stage = "done";
        _completed = true;
        var ready = outcomes.Count(o => o.Outcome is ChannelBringUpOutcome.Built or ChannelBringUpOutcome.Opened);
        var unready = outcomes.Count(o => o.Outcome is ChannelBringUpOutcome.Failed or ChannelBringUpOutcome.Skipped);
        Log.StartupFinished(logger, watch.Elapsed.TotalSeconds, ready, unready);
    }

    /// <summary>
    /// One blocking, compacting collection of every generation (large objects included): start-up's garbage would
    /// otherwise wait in the oldest generation for the runtime's first gen-2 collection while serving, which then has
    /// twice the heap to go through (and sometimes runs blocking: <see cref="ChannelStartupOptions.CompactHeapAboveMb"/>).
    /// </summary>
    private void CompactHeap()
    {
        var watch = Stopwatch.StartNew();
        var before = GC.GetGCMemoryInfo(GCKind.Any);
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo(GCKind.Any);
        const double mb = 1024.0 * 1024.0;
        Log.HeapCompacted(logger, watch.Elapsed.TotalSeconds, before.HeapSizeBytes / mb, after.HeapSizeBytes / mb, before.FragmentedBytes / mb, after.FragmentedBytes / mb);
    }

    /// <summary>Brings one channel up, first checking that the version it would open (the recorded active one, else the latest) was built from the start-up data.</summary>
    private async Task<ChannelBringUp> BringUpAsync(string name, InteractionDataset? data, DataFingerprint? fingerprint, ChannelStartupOptions settings, CancellationToken cancellationToken)
    {
        if (settings.SkipUnreachable && lifecycle.ArtifactChannel(name) is not null && !reachability.IsReachable(name, out var why))
        {
            Log.Unreachable(logger, name, why);
            return new ChannelBringUp(name, ChannelBringUpOutcome.Unreachable, null, 0, why);
        }

        var latest = fingerprint is null || lifecycle.ArtifactChannel(name) is null ? null : LatestManifest(name);
        if (latest?.Data is { } built && built.Digest != fingerprint!.Digest)
        {
            Log.DataMismatch(logger, name, latest.Version, built.ToString(), fingerprint.ToString(), settings.OnDataMismatch);
            switch (settings.OnDataMismatch)
            {
                case DataMismatchPolicy.Rebuild:
                    try
                    {
                        var handle = await lifecycle.BuildAndActivateAsync(name, data!, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return new ChannelBringUp(name, ChannelBringUpOutcome.Built, handle.Manifest.Version, 0);
                    }
                    catch (RecFrameworkException ex)
                    {
                        Log.NotBroughtUp(logger, name, ex.Message);
                        return new ChannelBringUp(name, ChannelBringUpOutcome.Failed, null, 0, ex.Message);
                    }

                case DataMismatchPolicy.Refuse:
                    return new ChannelBringUp(name, ChannelBringUpOutcome.Skipped, null, 0,
                        $"{latest.Version} was built from {built}, not from the start-up data {fingerprint}");
            }
        }

        return await lifecycle.BringUpAsync(name, data, settings.BuildMissing, cancellationToken).ConfigureAwait(false);
    }

    private Artifacts.ArtifactManifest? LatestManifest(string name)
    {
        try
        {
            var versions = lifecycle.Store.List(name);
            var recorded = lifecycle.Store.ActiveVersion(name);
            return versions.LastOrDefault(m => string.Equals(m.Version, recorded, StringComparison.Ordinal)) ?? (versions.Count > 0 ? versions[^1] : null);
        }
        catch (RecFrameworkException)
        {
            return null; // the lifecycle reports unreadable versions when it opens them
        }
    }

    private InteractionDataset? LoadData(ChannelStartupOptions settings)
    {
        if (services.GetService<StartupData>() is { } given)
        {
            return given.Load(services);
        }

        return settings.DataPath is { Length: > 0 } path ? DatasetLoader.Load(path) : null;
    }
}
