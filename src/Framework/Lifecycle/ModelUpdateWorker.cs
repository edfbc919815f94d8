using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Catalog;
using RecFramework.Data;
using RecFramework.Diagnostics;
using RecFramework.Stores;

namespace RecFramework.Lifecycle;

/// <summary>
/// Keeps channels fresh from the service's own traffic (options <see cref="ModelUpdateOptions"/>): every
/// <see cref="ModelUpdateSchedule.EveryMinutes"/> it reads the last <see cref="ModelUpdateSchedule.WindowMinutes"/> of
/// the event log (<see cref="EventLogDataSource"/>; profile schemas and profiles from the start-up data, read once and
/// kept without its events, overlaid by the profile store and the item catalogue), builds a
/// version through <see cref="ChannelLifecycle"/> and activates it. An empty window skips the update with a log line; a
/// failed update is logged and retried with a doubling delay while the serving version stays. Time comes from the
/// container's <see cref="TimeProvider"/>.
/// </summary>
public sealed class ModelUpdateWorker(
    IServiceProvider services,
    ChannelLifecycle lifecycle,
    IOptions<ModelUpdateOptions> options,
    TimeProvider time,
    ILogger<ModelUpdateWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _profilesLock = new(1, 1);
    private InteractionDataset? _profiles;
    private bool _profilesRead;
    private DateTimeOffset _started;

    /// <inheritdoc />
    /// <remarks>The schedule starts here (the first update is due one period later), before the loop runs in the background.</remarks>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _started = time.GetUtcNow();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Channels.Count == 0)
        {
            return;
        }

        var due = settings.Channels.ToDictionary(kv => kv.Key, kv => _started + TimeSpan.FromMinutes(kv.Value.EveryMinutes), StringComparer.Ordinal);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = due.Values.Min();
            if (next > now)
            {
                await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            foreach (var channel in due.Where(d => d.Value <= now).Select(d => d.Key).Order(StringComparer.Ordinal).ToArray())
            {
                var schedule = settings.Channels[channel];
                try
                {
                    await UpdateAsync(channel, schedule, stoppingToken).ConfigureAwait(false);
                    failures[channel] = 0;
                    due[channel] = now + TimeSpan.FromMinutes(schedule.EveryMinutes); // from the tick, not the end of the build: the period stays fixed
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    var attempt = failures[channel] = failures.GetValueOrDefault(channel) + 1;
                    var delay = TimeSpan.FromSeconds(Math.Min(schedule.RetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), schedule.EveryMinutes * 60.0));
                    Log.UpdateFailed(logger, channel, attempt, delay.TotalSeconds, ex);
                    due[channel] = now + delay;
                }
            }
        }
    }

    /// <summary>
    /// One update of <paramref name="channel"/> now: reads the schedule's window of the event log, builds a version and
    /// (when <see cref="ModelUpdateSchedule.Activate"/>) activates it. Returns the version, or null when the window held
    /// no event (nothing is built).
    /// </summary>
    /// <exception cref="RecFrameworkException">The build or the activation failed; the serving version stays.</exception>
    public async Task<ArtifactHandle?> UpdateAsync(string channel, ModelUpdateSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(schedule);
        var watch = Stopwatch.StartNew();
        var window = EventLogWindow.Last(TimeSpan.FromMinutes(schedule.WindowMinutes), time.GetUtcNow());
        var source = new EventLogDataSource(services.GetRequiredService<IEventStore>(), services.GetService<IUserProfileStore>(), services.GetService<IItemCatalog>());
        var profiles = await StartupProfilesAsync(cancellationToken).ConfigureAwait(false);
        var load = await source.LoadAsync(window, new EventLogLoadOptions { Profiles = profiles, Validation = new LoadOptions { SkipMalformedRows = true } }, cancellationToken).ConfigureAwait(false);
        if (load.IsEmpty)
        {
            Log.UpdateSkipped(logger, channel, window.Since, window.Until, load.Scanned);
            return null;
        }

        var handle = await lifecycle.BuildAsync(channel, load.Dataset, new ChannelBuildSettings { Parameters = schedule.Parameters }, cancellationToken).ConfigureAwait(false);
        var active = "not activated";
        if (schedule.Activate && lifecycle.ArtifactChannel(channel) is not null)
        {
            active = await lifecycle.ActivateAsync(channel, handle, offThreadPool: true, cancellationToken).ConfigureAwait(false);
        }

        Log.UpdateBuilt(logger, channel, handle.Manifest.Version, load.Dataset.Interactions.Length, window.Since, window.Until, load.NewUsers, load.NewItems, watch.Elapsed.TotalSeconds, active);
        return handle;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _profilesLock.Dispose();
        base.Dispose();
    }

    /// <summary>The start-up data's profiles (<c>UseStartupData</c> or <c>RecFramework:Startup:DataPath</c>), without its events; null when there is none.</summary>
    private async Task<InteractionDataset?> StartupProfilesAsync(CancellationToken cancellationToken)
    {
        await _profilesLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_profilesRead)
            {
                var data = services.GetService<StartupData>()?.Load(services)
                    ?? (services.GetService<IOptions<ChannelStartupOptions>>()?.Value.DataPath is { Length: > 0 } path ? DatasetLoader.Load(path) : null);
                _profiles = data is null ? null : new InteractionDataset(data.Name, [], data.Users, data.Items);
                _profilesRead = true;
            }

            return _profiles;
        }
        finally
        {
            _profilesLock.Release();
        }
    }
}
