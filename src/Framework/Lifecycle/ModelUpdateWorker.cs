using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Catalog;
using RecFramework.Data;
using RecFramework.Diagnostics;
using RecFramework.Evaluation;
using RecFramework.Stores;

namespace RecFramework.Lifecycle;

/// <summary>
/// Keeps channels fresh from the service's own traffic (options <see cref="ModelUpdateOptions"/>): every
/// <see cref="ModelUpdateSchedule.EveryMinutes"/> it reads the last <see cref="ModelUpdateSchedule.WindowMinutes"/> of
/// the event log (<see cref="EventLogDataSource"/>; profile schemas and profiles from the start-up data, read once and
/// kept without its events, overlaid by the profile store and the item catalogue), builds a
/// version through <see cref="ChannelLifecycle"/> and activates it. An empty window skips the update with a log line; a
/// failed update is logged and retried with a doubling delay while the serving version stays. With
/// <see cref="ModelUpdateSchedule.GateMinutes"/> a quality gate scores each new version against the serving one on the
/// newest minutes of the window (held out of the build) and activates only a version that is not more than
/// <see cref="ModelUpdateSchedule.GateMargin"/> worse. When the artifact store is a <see cref="FileArtifactStore"/>,
/// scheduled updates of a channel run only while this worker holds its lease (<see cref="ModelUpdateOptions.LeaseSeconds"/>),
/// so of several replicas sharing the store one publishes. Time comes from the container's <see cref="TimeProvider"/>.
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
    private readonly ConcurrentDictionary<string, ModelUpdateOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly string _owner = options.Value.LeaseOwner is { Length: > 0 } configured
        ? configured
        : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    private ModelUpdateMetrics? _metrics;
    private bool _metricsCreated;
    private DateTimeOffset _started;
    private DateTime _startedWall = DateTime.MaxValue;
    private readonly HashSet<string> _cleaned = new(StringComparer.Ordinal);

    /// <summary>The last update of each channel that published a version (by channel name).</summary>
    public IReadOnlyDictionary<string, ModelUpdateOutcome> Outcomes => _outcomes;

    /// <summary>This worker's name in the update leases.</summary>
    public string LeaseOwner => _owner;

    /// <inheritdoc />
    /// <remarks>The schedule starts here (the first update is due one period later), before the loop runs in the background.</remarks>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _started = time.GetUtcNow();
        _startedWall = DateTime.UtcNow;
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

        // One job per periodic schedule and one per daily full update; a channel's jobs run one after the other.
        var due = new Dictionary<(string Channel, bool Full), DateTimeOffset>();
        foreach (var (channel, schedule) in settings.Channels)
        {
            if (schedule.EveryMinutes > 0)
            {
                due[(channel, false)] = settings.RunAtStart ? _started : _started + TimeSpan.FromMinutes(schedule.EveryMinutes);
            }

            if (schedule.FullTimeOfDay is not null)
            {
                due[(channel, true)] = schedule.NextFull(_started);
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        var failures = new Dictionary<(string Channel, bool Full), int>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = due.Values.Min();
            if (next > now)
            {
                // The clock is read again once the timer exists: a clock that moved past `next` between the first
                // read and the timer's creation (a test's fake clock, a suspended VM) would otherwise leave the loop
                // asleep for a whole further period.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sleep = Task.Delay(next - now, time, wake.Token);
                if (time.GetUtcNow() < next)
                {
                    await sleep.ConfigureAwait(false);
                }
                else
                {
                    await wake.CancelAsync().ConfigureAwait(false);
                }

                continue;
            }

            // Full updates first; a periodic update of the same channel due at the same tick is left out (the full
            // one reads a window at least as recent) and moves to its next period.
            var ready = due.Where(d => d.Value <= now).Select(d => d.Key)
                .OrderBy(j => j.Channel, StringComparer.Ordinal).ThenByDescending(j => j.Full).ToArray();
            foreach (var job in ready)
            {
                var schedule = settings.Channels[job.Channel];
                var period = job.Full ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(schedule.EveryMinutes);
                var nextRegular = job.Full ? schedule.NextFull(now) : now + period; // from the tick, not the end of the build: the period stays fixed
                if (!job.Full && ready.Contains((job.Channel, true)) && failures.GetValueOrDefault((job.Channel, true)) == 0)
                {
                    Log.PeriodicReplacedByFull(logger, job.Channel);
                    due[job] = nextRegular;
                    continue;
                }

                var lease = Lease(job.Channel, settings);
                try
                {
                    if (lease is not null && !lease.TryAcquire())
                    {
                        Log.LeaseHeld(logger, job.Channel, lease.LastSeen.Owner, lease.LastSeen.Expires);
                        due[job] = nextRegular;
                        continue;
                    }

                    using (lease?.KeepRenewed())
                    {
                        RemoveLeftovers(job.Channel);
                        await UpdateAsync(job.Channel, job.Full ? schedule.AsFull() : schedule, job.Full, stoppingToken).ConfigureAwait(false);
                    }

                    failures[job] = 0;
                    due[job] = nextRegular;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    var attempt = failures[job] = failures.GetValueOrDefault(job) + 1;
                    var delay = TimeSpan.FromSeconds(Math.Min(schedule.RetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), period.TotalSeconds));
                    Metrics?.Run(job.Channel, "failed"); // before the log line, which tests wait for
                    Log.UpdateFailed(logger, job.Channel, attempt, delay.TotalSeconds, ex);
                    due[job] = now + delay;
                }
            }
        }
    }

    /// <summary>
    /// One periodic update of <paramref name="channel"/> now (see <see cref="UpdateAsync(string, ModelUpdateSchedule, bool, CancellationToken)"/>).
    /// </summary>
    public Task<ArtifactHandle?> UpdateAsync(string channel, ModelUpdateSchedule schedule, CancellationToken cancellationToken = default) =>
        UpdateAsync(channel, schedule, full: false, cancellationToken);

    /// <summary>
    /// One update of <paramref name="channel"/> now: reads the schedule's window of the event log, builds a version and
    /// (when <see cref="ModelUpdateSchedule.Activate"/> and the gate of <see cref="ModelUpdateSchedule.GateMinutes"/>, if
    /// any, passes) activates it; the outcome is kept in <see cref="Outcomes"/>. Returns the version, or null when the
    /// window held no event (nothing is built). No lease is taken: that is the schedule's.
    /// </summary>
    /// <exception cref="RecFrameworkException">The build or the activation failed; the serving version stays.</exception>
    /// <param name="channel">The channel.</param>
    /// <param name="schedule">Its window, parameters, activation and gate (for a full update: the full window and parameters).</param>
    /// <param name="full">Recorded in the outcome (<see cref="ModelUpdateOutcome.Full"/>): the daily full update.</param>
    /// <param name="cancellationToken">Stops the update; a version is either published whole or not at all.</param>
    public async Task<ArtifactHandle?> UpdateAsync(string channel, ModelUpdateSchedule schedule, bool full, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(schedule);
        var watch = Stopwatch.StartNew();
        var started = time.GetUtcNow();
        var serving = lifecycle.ArtifactChannel(channel)?.ActiveVersion; // the version this update starts from
        var resumeAfter = !full && schedule.ResumeFromLog && schedule.GateMinutes == 0 && serving is not null ? ConsumedSequence(channel, serving) : null;
        var window = resumeAfter is { } after
            ? new EventLogWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue) { AfterSequence = after } // every event written since, whatever its time
            : EventLogWindow.Last(TimeSpan.FromMinutes(schedule.WindowMinutes), started);
        if (resumeAfter is not null)
        {
            Log.UpdateResumes(logger, channel, resumeAfter.Value, serving!);
        }

        var source = EventLogDataSource.FromServices(services);
        var profiles = await StartupProfilesAsync(cancellationToken).ConfigureAwait(false);
        var loadOptions = new EventLogLoadOptions
        {
            Profiles = profiles,
            Validation = new LoadOptions { SkipMalformedRows = true },
            Name = resumeAfter is { } from ? $"events-after-{from.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : null,
        };
        var load = await source.LoadAsync(window, loadOptions, cancellationToken).ConfigureAwait(false);
        if (load.IsEmpty)
        {
            Metrics?.Run(channel, "skipped");
            Log.UpdateSkipped(logger, channel, window.Since, window.Until, load.Scanned);
            return null;
        }

        var gate = schedule.GateMinutes > 0 && serving is not null
            ? GateSplit(load.Dataset, (window.Until - TimeSpan.FromMinutes(schedule.GateMinutes)).ToUnixTimeSeconds())
            : null;
        if (gate is not null && services.GetService<IOptionsMonitor<Pipeline.ChannelOptions>>()?.Get(channel).MaxPinnedVersions == 0)
        {
            // The gate serves the new version as a pinned one; refuse before building rather than publish a version it cannot score.
            throw new RecFrameworkException(RecError.InvalidConfiguration,
                $"The gate of channel '{channel}' (GateMinutes = {schedule.GateMinutes}) scores the new version as a pinned version, but {Pipeline.ChannelOptions.SectionOf(channel)}:MaxPinnedVersions is 0.");
        }

        var data = gate?.Train ?? load.Dataset;
        var lineage = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UpdateKindProperty] = full ? "full" : "periodic",
            [UpdateStartedProperty] = started.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [EventLogSequenceProperty] = load.LastSequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (serving is not null)
        {
            lineage[UpdateBaseProperty] = serving;
        }

        var handle = await lifecycle.BuildAsync(channel, data, new ChannelBuildSettings { Parameters = schedule.Parameters, ManifestProperties = lineage }, cancellationToken).ConfigureAwait(false);
        var version = handle.Manifest.Version;
        double? gateRecall = null, servingRecall = null;
        var rejected = false;
        if (gate is not null)
        {
            var scoring = new EvaluationOptions { Ks = [GateK], Parallelism = 2 };
            var candidate = await ChannelEvaluator.ScoreVersionAsync(services, channel, version, gate, scoring, cancellationToken).ConfigureAwait(false);
            var current = await ChannelEvaluator.ScoreVersionAsync(services, channel, null, gate, scoring, cancellationToken).ConfigureAwait(false);
            gateRecall = candidate.At(GateK).Recall;
            servingRecall = current.At(GateK).Recall;
            rejected = gateRecall < servingRecall * (1 - schedule.GateMargin);
            if (rejected)
            {
                Log.GateRejected(logger, channel, version, gateRecall.Value, candidate.UsersEvaluated, schedule.GateMargin, serving!, servingRecall.Value);
            }
            else
            {
                Log.GatePassed(logger, channel, version, gateRecall.Value, candidate.UsersEvaluated, serving!, servingRecall.Value);
            }
        }

        var active = "not activated";
        var recordedBefore = lifecycle.Store.ActiveVersion(channel);
        string? supersededBy = null;
        if (schedule.Activate && !rejected && lifecycle.ArtifactChannel(channel) is not null)
        {
            (active, supersededBy) = await ActivateUnlessSupersededAsync(channel, handle, cancellationToken).ConfigureAwait(false);
        }

        Retain(channel, schedule.KeepVersions, [version, serving, recordedBefore]);

        _outcomes[channel] = new ModelUpdateOutcome
        {
            Channel = channel,
            Full = full,
            Finished = time.GetUtcNow(),
            Version = version,
            Events = data.Interactions.Length,
            Seconds = watch.Elapsed.TotalSeconds,
            Activated = active != "not activated",
            ServingVersion = gate is null ? null : serving,
            GateRecall = gateRecall,
            ServingRecall = servingRecall,
            GateUsers = gate?.Test.Count ?? 0,
            Rejected = rejected,
            SupersededBy = supersededBy,
        };
        Metrics?.Published(_outcomes[channel]);
        Metrics?.Run(channel, rejected ? "rejected" : supersededBy is not null ? "superseded" : active != "not activated" ? "activated" : "published");
        Log.UpdateBuilt(logger, channel, full ? "full" : "periodic", version, data.Interactions.Length, window.Since, window.Until, load.NewUsers, load.NewItems, watch.Elapsed.TotalSeconds, active);
        return handle;
    }

    /// <summary>The manifest property an update records its kind in: <c>full</c> (the daily full update) or <c>periodic</c>.</summary>
    public const string UpdateKindProperty = "update_kind";

    /// <summary>The manifest property an update records its start in (UTC, ISO 8601, from the worker's clock).</summary>
    public const string UpdateStartedProperty = "update_started_utc";

    /// <summary>
    /// The manifest property an update records the last event-log sequence it read in (SQLite: the row's sequence;
    /// Redis: the stream entry's sequence field); a periodic update with <see cref="ModelUpdateSchedule.ResumeFromLog"/>
    /// reads the events after the serving version's.
    /// </summary>
    public const string EventLogSequenceProperty = "event_log_sequence";

    /// <summary>The event-log sequence <paramref name="version"/> of <paramref name="channel"/> consumed, or null when its manifest records none.</summary>
    private long? ConsumedSequence(string channel, string version) =>
        lifecycle.Store.List(channel).FirstOrDefault(m => m.Version == version) is { } manifest
        && manifest.Properties.TryGetValue(EventLogSequenceProperty, out var text)
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;

    /// <summary>The manifest property an update records the version it started from in (the one serving here then); absent when none served.</summary>
    public const string UpdateBaseProperty = "update_base";

    /// <summary>
    /// Activates a published version of <paramref name="channel"/> as the worker activates its own: unless the lineage
    /// guard refuses it. A periodic (incremental) version must descend from the newest full version on the serving
    /// version's line (the serving version and the versions it was built from: <see cref="ArtifactManifest.Parent"/>,
    /// else <see cref="ArtifactManifest.DeltaOf"/>, else <see cref="UpdateBaseProperty"/>); one whose update started
    /// from an older version, before a full update that has been activated since, is left published but inactive, with
    /// a log line (EventId 1913) and the <c>recfw.update.runs</c> outcome <c>superseded</c>. A full version, or one
    /// when no full version is on the serving line, is always activated.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="version">The published version.</param>
    /// <param name="cancellationToken">Cancels the activation.</param>
    /// <returns>True when activated; false when the guard refused it.</returns>
    /// <exception cref="RecFrameworkException">The version does not exist or does not load; the serving version stays.</exception>
    public async Task<bool> ActivateUpdateAsync(string channel, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var handle = lifecycle.Store.Open(channel, version);
        var (_, supersededBy) = await ActivateUnlessSupersededAsync(channel, handle, cancellationToken).ConfigureAwait(false);
        if (supersededBy is not null)
        {
            Metrics?.Run(channel, "superseded");
        }

        return supersededBy is null;
    }

    /// <summary>The guard of <see cref="ActivateUpdateAsync"/>, then the activation: the active description, or the full version that supersedes <paramref name="handle"/>.</summary>
    private async Task<(string Active, string? SupersededBy)> ActivateUnlessSupersededAsync(string channel, ArtifactHandle handle, CancellationToken cancellationToken)
    {
        var manifests = lifecycle.Store.List(channel).ToDictionary(m => m.Version, StringComparer.Ordinal);
        var serving = lifecycle.ArtifactChannel(channel)?.ActiveVersion;
        if (SupersedingFull(handle.Manifest, serving, v => manifests.GetValueOrDefault(v)) is { } full)
        {
            Log.UpdateSuperseded(logger, channel, handle.Manifest.Version, Started(handle.Manifest), BaseOf(handle.Manifest) ?? "nothing", full.Version, Started(full), serving!);
            return ("not activated", full.Version);
        }

        return (await lifecycle.ActivateAsync(channel, handle, offThreadPool: true, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>
    /// The newest full version on <paramref name="serving"/>'s line when <paramref name="candidate"/> is a periodic
    /// version that does not descend from it; otherwise null (activate).
    /// </summary>
    internal static ArtifactManifest? SupersedingFull(ArtifactManifest candidate, string? serving, Func<string, ArtifactManifest?> manifest)
    {
        if (IsFull(candidate) || serving is null || serving == candidate.Version)
        {
            return null;
        }

        ArtifactManifest? full = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var v = serving; v is not null && seen.Add(v) && manifest(v) is { } m; v = BaseOf(m))
        {
            if (IsFull(m))
            {
                full = m;
                break;
            }
        }

        if (full is null)
        {
            return null;
        }

        seen.Clear();
        for (var v = BaseOf(candidate); v is not null && seen.Add(v); v = manifest(v) is { } m ? BaseOf(m) : null)
        {
            if (v == full.Version)
            {
                return null;
            }
        }

        return full;
    }

    /// <summary>
    /// A full version: recorded so by the worker (<see cref="UpdateKindProperty"/>), else (a version built outside the
    /// worker) one neither stored as a delta nor built by a two-tower <c>update=incremental</c>.
    /// </summary>
    private static bool IsFull(ArtifactManifest manifest) =>
        manifest.Properties.TryGetValue(UpdateKindProperty, out var kind)
            ? kind == "full"
            : manifest.DeltaOf is null && !(manifest.Properties.TryGetValue("update", out var update) && update == "incremental");

    /// <summary>The version <paramref name="manifest"/> was built from: its parent, else the version it is a delta over, else the worker's record.</summary>
    private static string? BaseOf(ArtifactManifest manifest) =>
        manifest.Parent ?? manifest.DeltaOf ?? manifest.Properties.GetValueOrDefault(UpdateBaseProperty);

    private static string Started(ArtifactManifest manifest) => manifest.Properties.GetValueOrDefault(UpdateStartedProperty) ?? "unknown";

    /// <summary>
    /// Retention after an update: deletes published versions of <paramref name="channel"/> older than the newest
    /// <paramref name="keep"/> (0: none), except the version serving here, the version recorded as active in the
    /// store, pinned versions loaded here, versions the configuration pins (<see cref="IChannelReachability.PinnedVersions"/>)
    /// and <paramref name="alsoKeep"/> (the new version and the ones serving before it, which other replicas may still
    /// serve until they pick up the new one). A version that cannot be deleted is logged and left.
    /// </summary>
    private void Retain(string channel, int keep, IEnumerable<string?> alsoKeep)
    {
        if (keep <= 0)
        {
            return;
        }

        var listing = lifecycle.Store.ListAll(channel);
        if (listing.Count <= keep)
        {
            return;
        }

        var kept = new SortedSet<string>(alsoKeep.OfType<string>(), StringComparer.Ordinal);
        if (lifecycle.ArtifactChannel(channel) is { } served)
        {
            kept.UnionWith(served.PinnedVersions);
            if (served.ActiveVersion is { } active)
            {
                kept.Add(active);
            }
        }

        if (lifecycle.Store.ActiveVersion(channel) is { } recorded)
        {
            kept.Add(recorded);
        }

        kept.UnionWith(services.GetService<IChannelReachability>()?.PinnedVersions(channel) ?? []);

        // A delta version is read together with the version it is stored over: every kept version (the newest ones
        // included) keeps its whole delta chain down to the full version at its root.
        var manifests = listing.Where(l => l.Manifest is not null).ToDictionary(l => l.Version, l => l.Manifest!, StringComparer.Ordinal);
        var pending = new Stack<string>(kept.Concat(listing.Skip(listing.Count - keep).Select(l => l.Version)));
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var version))
        {
            if (visited.Add(version) && manifests.TryGetValue(version, out var manifest) && manifest.DeltaOf is { } parent)
            {
                kept.Add(parent);
                pending.Push(parent);
            }
        }

        var deleted = new List<string>();
        foreach (var old in listing.Take(listing.Count - keep).Select(l => l.Version).Where(v => !kept.Contains(v)))
        {
            try
            {
                lifecycle.Store.Delete(channel, old);
                deleted.Add(old);
            }
            catch (Exception ex) when (ex is RecFrameworkException or IOException or UnauthorizedAccessException)
            {
                Log.VersionNotDeleted(logger, channel, old, ex.Message);
            }
        }

        if (deleted.Count > 0)
        {
            Log.VersionsDeleted(logger, channel, string.Join(", ", deleted), keep, kept.Count == 0 ? "nothing else" : string.Join(", ", kept));
        }
    }

    /// <summary>
    /// Once per channel, holding its lease (so no other worker is building it): removes the staging folders of builds
    /// and the folders of deletions that were interrupted before this worker started (a stop mid-update, a crash).
    /// File timestamps are the wall clock's, so this compares with the wall-clock start, not the worker's clock.
    /// </summary>
    private void RemoveLeftovers(string channel)
    {
        if (lifecycle.Store is not FileArtifactStore files || !_cleaned.Add(channel))
        {
            return;
        }

        try
        {
            var removed = files.DeleteLeftovers(channel, _startedWall);
            if (removed.Count > 0)
            {
                Log.LeftoversDeleted(logger, channel, string.Join(", ", removed));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.VersionNotDeleted(logger, channel, "leftover staging folders", ex.Message);
        }
    }

    /// <summary>The worker's instruments, created on first use from the container's meter factory (none: no metrics).</summary>
    private ModelUpdateMetrics? Metrics
    {
        get
        {
            if (!Volatile.Read(ref _metricsCreated))
            {
                lock (_outcomes)
                {
                    if (!_metricsCreated)
                    {
                        _metrics = services.GetService<IMeterFactory>() is { } factory ? new ModelUpdateMetrics(factory, () => _outcomes.Values) : null;
                        Volatile.Write(ref _metricsCreated, true);
                    }
                }
            }

            return _metrics;
        }
    }

    /// <summary>The cut-off of the gate's recall.</summary>
    private const int GateK = 20;

    /// <summary>
    /// The gate's split of the window at <paramref name="cut"/> (unix seconds): the build reads the events before it; each
    /// user's positives from the cut on are the held-out items, kept when the train part knows the item and the user
    /// has no positive train event of it. Null when either part would be empty (the build then reads the whole window).
    /// </summary>
    private static DatasetSplit? GateSplit(InteractionDataset data, long cut)
    {
        var train = data.Interactions.Where(e => e.Timestamp < cut).ToArray();
        var trainItems = train.Select(e => e.ItemId).ToHashSet();
        var seen = train.Where(e => e.IsPositive).Select(e => (e.UserId, e.ItemId)).ToHashSet();
        var test = data.Interactions
            .Where(e => e.Timestamp >= cut && e.IsPositive && trainItems.Contains(e.ItemId) && !seen.Contains((e.UserId, e.ItemId)))
            .OrderBy(e => e.Timestamp)
            .GroupBy(e => e.UserId)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ItemId).Distinct().ToArray());
        return train.Length == 0 || test.Count == 0
            ? null
            : new DatasetSplit { Train = data.With(data.Name, train), Test = test, TrainItemCount = trainItems.Count };
    }

    /// <summary>The lease of <paramref name="channel"/> in the file artifact store's root; null for other stores.</summary>
    private UpdateLease? Lease(string channel, ModelUpdateOptions settings) =>
        lifecycle.Store is FileArtifactStore store
            ? new UpdateLease(store.Root, channel, _owner, TimeSpan.FromSeconds(settings.LeaseSeconds), time)
            : null;

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
