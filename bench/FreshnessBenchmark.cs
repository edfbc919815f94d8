using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Bench.Freshness;
using RecFramework.Bench.Serve;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Host;
using RecFramework.Lifecycle;
using RecFramework.Stores;

namespace RecFramework.Bench;

/// <summary>
/// <c>freshness</c>: how fast the service's own traffic reaches its recommendations. Synthetic data (full: 1M users,
/// 1M items, 10M positive events, as <c>train-scale</c>; quick: 1.5k / 1k / 30k) ending a day ago seeds the real Host
/// (its channels built at start-up; UserCF left out) and its SQLite event log. Once the service is ready, a
/// <see cref="ModelUpdateWorker"/> over the service's container runs an incremental two-tower update every minute and an
/// ItemCF rebuild from the whole log every few minutes, activating each version on the serving channels. The worker's clock runs <c>--clock-speed</c> times
/// faster than the wall clock (quick: 20, so a one-minute schedule ticks every 3 s; full: 1); every figure is wall-clock
/// seconds. While a paced <c>/recommend</c> load and a stream of <c>POST /events</c> run: (a) a user's new clicks until
/// the ItemCF/Swing items of their answer change (<c>history_reaction_s</c>, median of trials); (b) the first events of
/// a brand-new user and a brand-new item (one batch; a cohort of users who share a taste click the item too) until a
/// served two-tower version indexes the item (<c>incremental_cycle_s</c>) and until it is in the channel's top
/// <see cref="RecallK"/> for the new user or a cohort user (<c>new_item_recall_s</c>, <c>new_item_recalled</c>); (c) a full
/// update of the two-tower channel from the event log through the worker while serving (<c>full_update_s</c>); the
/// published size of the newest incremental version (a delta) and of the full one (<c>incremental_artifact_bytes</c>,
/// <c>full_artifact_bytes</c>);
/// (d) requests and event posts that failed over the whole run, across every swap (<c>failed_requests</c>).
/// Options: <c>--users N --items N --interactions N --clock-speed X --timeout SECONDS</c>.
/// </summary>
internal sealed class FreshnessBenchmark : IVerifyingBenchmark
{
    /// <summary>The rank cut-off under which the new item counts as recalled by the two-tower channel.</summary>
    internal const int RecallK = 100;

    private const string TwoTower = "two-tower";
    private const long NewIdOffset = 10_000_000;
    private static readonly IReadOnlySet<string> HistoryChannels = new HashSet<string>(StringComparer.Ordinal) { "itemcf", "swing" };

    public string Name => "freshness";

    public string Description => "events -> changed recommendations: history channels, incremental two-tower (new user and item), full update, failed requests";

    public IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures)
    {
        var failures = new List<string>();
        if (figures["failed_requests"] != 0)
        {
            failures.Add($"failed_requests is {figures["failed_requests"]}, must be 0");
        }

        if (figures["new_item_recalled"] != 1)
        {
            failures.Add($"new_item_recalled is false: the new item was not in the two-tower top {RecallK} of its clickers in time");
        }

        foreach (var figure in new[] { "history_reaction_s", "incremental_cycle_s", "full_update_s" })
        {
            if (!double.IsFinite(figures[figure]))
            {
                failures.Add($"{figure} was not measured");
            }
        }

        return failures;
    }

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var quick = context.Quick;
        var users = Int(context, "--users", quick ? 1_500 : 1_000_000);
        var items = Int(context, "--items", quick ? 1_000 : 1_000_000);
        var interactions = Int(context, "--interactions", quick ? 30_000 : 10_000_000);
        var speed = context.Option("--clock-speed") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : quick ? 20 : 1;
        var timeout = TimeSpan.FromSeconds(Int(context, "--timeout", quick ? 60 : 900));
        const int days = 7;
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["users"] = users,
            ["items"] = items,
            ["interactions"] = interactions,
            ["cores"] = Environment.ProcessorCount,
            ["clock_speed"] = speed,
            ["schedule_period_s"] = 60 / speed,
            ["load_avg_1m_start"] = LoadAverage(),
        };
        var total = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("rf-bench-freshness-").FullName;
        try
        {
            // 1. The period: a week ending a day ago, as files (start-up data) and as the service's event log.
            var watch = Stopwatch.StartNew();
            var start = DateTimeOffset.UtcNow.AddDays(-(days + 1)).ToUnixTimeSeconds();
            var synthetic = SyntheticGenerator.Generate(new SyntheticOptions
            {
                Users = users,
                Items = items,
                Clusters = quick ? 20 : 1000,
                Interactions = interactions,
                IncludeImpressions = false,
                Days = days,
                StartTime = start,
                Seed = 17,
            }, cancellationToken: cancellationToken);
            var data = synthetic.Dataset;
            var truth = synthetic.Truth;
            var dataPath = Path.Combine(root, "data");
            SyntheticGenerator.Write(synthetic, dataPath, cancellationToken: cancellationToken);
            synthetic = null;
            figures["generate_s"] = watch.Elapsed.TotalSeconds;
            watch.Restart();
            await using (var log = new SqliteEventStore(Path.Combine(root, "events.db")))
            {
                foreach (var chunk in data.Interactions.Chunk(20_000))
                {
                    await log.AppendAsync(chunk.Select(e => new EventRecord(e)).ToArray(), cancellationToken);
                }
            }

            figures["event_log_fill_s"] = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"freshness: {data.Interactions.Length:N0} events of {users:N0} users x {items:N0} items in files and the event log ({figures["generate_s"]:F1} s + {figures["event_log_fill_s"]:F1} s)");

            // 2. The start-up artifacts, built in a child process as `recfw build` before `serve` would: the service
            // process then holds only what it serves and what the worker's updates need, not the builds' leftovers.
            await BuildInChildAsync(root, quick, figures, cancellationToken);

            // 3. The service loads them; once it is ready, the update worker on the scaled clock (as a worker process beside the replica would run).
            var host = await ServedHost.StartAsync(new ServeSettings(dataPath), Configuration(root, quick), cancellationToken);
            figures["start_s"] = host.StartSeconds;
            var clock = new ScaledClock(speed);
            var worker = ActivatorUtilities.CreateInstance<ModelUpdateWorker>(host.App.Services, (TimeProvider)clock, Options.Create(Schedule(quick, days)));
            await worker.StartAsync(cancellationToken);
            Console.WriteLine($"freshness: host ready in {host.StartSeconds:F1} s; worker schedule every {60 / speed:F1} s (clock x{speed}); {Memory()}");
            try
            {
                await MeasureAsync(host, worker, data, truth, figures, timeout, quick, cancellationToken);
            }
            finally
            {
                await worker.StopAsync(CancellationToken.None);
                worker.Dispose();
                await host.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        using var process = Process.GetCurrentProcess();
        figures["peak_memory_mb"] = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        figures["load_avg_1m_end"] = LoadAverage();
        figures["total_s"] = total.Elapsed.TotalSeconds;
        return figures;
    }

    private static async Task MeasureAsync(
        ServedHost host, ModelUpdateWorker worker, InteractionDataset data, GroundTruthModel truth, Dictionary<string, double> figures, TimeSpan timeout, bool quick, CancellationToken ct)
    {
        var services = host.App.Services;
        var lifecycle = services.GetRequiredService<ChannelLifecycle>();
        var channel = services.GetRequiredKeyedService<IRecallChannel>(TwoTower);
        var users = (int)figures["users"];
        var items = (int)figures["items"];

        using var stop = new CancellationTokenSource();
        using var load = new LoadGenerator(host.Address, users, k: 50, seed: 5);
        var loadTask = load.PacedAsync(quick ? 4 : 8, TimeSpan.FromMilliseconds(quick ? 20 : 10), stop.Token);
        using var events = new EventStream(host.Address, "fresh", users, items, batchSize: 10, batchesPerSecond: 10, seed: 5);
        var eventTask = events.RunAsync(stop.Token);
        var outcomes = WatchOutcomesAsync(worker, stop.Token);
        using var probe = new FreshnessProbe(host.Address);

        // (a) History channels: median seconds from a user's clicks to changed ItemCF/Swing items, over a few users.
        var positives = data.Interactions.Where(e => e.IsPositive).ToArray();
        var popular = positives.GroupBy(e => e.ItemId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).Take(300).ToArray();
        var byUser = positives.GroupBy(e => e.UserId).Where(g => g.Count() >= 10).OrderBy(g => g.Key).Take(8).ToArray();
        var reactions = new List<double>();
        var random = new Random(3);
        foreach (var user in byUser)
        {
            var seen = user.Select(e => e.ItemId).ToHashSet();
            var clicks = popular.Where(i => !seen.Contains(i)).OrderBy(_ => random.Next()).Take(3).ToArray();
            var seconds = await probe.ReactionAsync(user.Key, clicks, 500, HistoryChannels, TimeSpan.FromSeconds(10), ct);
            if (double.IsFinite(seconds))
            {
                reactions.Add(seconds);
            }
        }

        reactions.Sort();
        figures["history_reaction_trials"] = reactions.Count;
        figures["history_reaction_s"] = reactions.Count == 0 ? double.NaN : reactions[reactions.Count / 2];
        figures["history_reaction_max_s"] = reactions.Count == 0 ? double.NaN : reactions[^1];
        figures["load_avg_1m_at_history"] = LoadAverage();
        Report(figures, "history_reaction_s", "load_avg_1m_at_history");

        // (b) A brand-new user and a brand-new item in one batch; a cohort that shares a taste clicks it too: clickers of
        // the most popular item whose primary interest (the generator's ground truth) is that item's cluster. The
        // clickers of a popular item alone are not one taste at 1,000 clusters: a third of the exposures come from
        // global popularity.
        var newUser = NewIdOffset + users;
        var newItem = NewIdOffset + items;
        var anchor = popular[0];
        var cohort = Cohort(positives, anchor, truth);
        figures["cohort_users"] = cohort.Length;
        var taste = positives.Where(e => cohort.Contains(e.UserId)).GroupBy(e => e.ItemId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).Take(3).ToArray();
        var batch = taste.Select(i => (newUser, i)).Append((newUser, newItem)).Concat(cohort.Select(u => (u, newItem))).ToArray();
        var posted = Stopwatch.StartNew();
        if (!await probe.ClickAsync(batch, ct))
        {
            throw new InvalidOperationException("The service refused the new user's and new item's events.");
        }

        double known = double.NaN, recalled = double.NaN;
        var bestRank = -1;
        string? checkedVersion = null;
        var everyItem = Math.Min(items + 1_000, quick ? int.MaxValue : 10_000);
        while (posted.Elapsed < timeout && double.IsNaN(recalled))
        {
            var version = lifecycle.ArtifactChannel(TwoTower)?.ActiveVersion;
            if (version != checkedVersion)
            {
                checkedVersion = version;
                var before = bestRank;
                foreach (var user in cohort.Prepend(newUser))
                {
                    var result = await channel.RecallAsync(new RecallRequest { UserId = user, K = everyItem }, ct);
                    var rank = result.Items.ToList().FindIndex(i => i.ItemId == newItem);
                    if (rank >= 0)
                    {
                        known = double.IsNaN(known) ? posted.Elapsed.TotalSeconds : known;
                        bestRank = bestRank < 0 ? rank : Math.Min(bestRank, rank);
                        if (rank < RecallK && double.IsNaN(recalled))
                        {
                            recalled = posted.Elapsed.TotalSeconds;
                        }
                    }
                }

                Console.WriteLine($"freshness: {posted.Elapsed.TotalSeconds:F1} s after the new item's first events, two-tower {version} serves; best rank of the new item so far {bestRank}{(bestRank != before ? "" : " (unchanged)")}; {Memory()}");
            }

            await Task.Delay(20, ct);
        }

        figures["incremental_cycle_s"] = known;
        figures["new_item_recall_s"] = recalled;
        figures["new_item_recalled"] = double.IsNaN(recalled) ? 0 : 1;
        figures["new_item_best_rank"] = bestRank;
        figures["load_avg_1m_at_incremental"] = LoadAverage();
        Report(figures, "incremental_cycle_s", "load_avg_1m_at_incremental");
        Report(figures, "new_item_recall_s", "load_avg_1m_at_incremental");

        // (c) A full update of the two-tower channel from the event log (the whole period), through the worker, while serving.
        var full = Stopwatch.StartNew();
        var fullHandle = await worker.UpdateAsync(TwoTower, new ModelUpdateSchedule
        {
            WindowMinutes = 527_040,
            Parameters = new(StringComparer.Ordinal) { ["update"] = "full" },
        }, ct);
        figures["full_update_s"] = full.Elapsed.TotalSeconds;
        figures["full_update_events"] = fullHandle?.Manifest.Metrics.GetValueOrDefault("examples", double.NaN) ?? double.NaN;

        // Activated: the full version serves, or a scheduled incremental update after it already does (versions are v0001, v0002, …).
        var serving = lifecycle.ArtifactChannel(TwoTower)?.ActiveVersion;
        figures["full_update_activated"] = fullHandle is not null && serving is not null && string.CompareOrdinal(serving, fullHandle.Manifest.Version) >= 0 ? 1 : 0;
        figures["load_avg_1m_at_full"] = LoadAverage();
        Report(figures, "full_update_s", "load_avg_1m_at_full");

        // Published bytes: an incremental version is a delta over its parent (the newest still kept), the full one whole.
        var deltas = lifecycle.Store.List(TwoTower).Where(m => m.DeltaOf is not null).ToArray();
        figures["incremental_artifact_bytes"] = deltas.Length == 0 ? double.NaN : deltas[^1].Files.Sum(f => f.Bytes);
        figures["full_artifact_bytes"] = fullHandle?.Manifest.Files.Sum(f => f.Bytes) ?? double.NaN;

        // Where an update's time goes (the builder's own figures): the whole build, the training epoch, exporting the
        // vectors (and, for a full version, building the index); the rest of an update is reading the log and activating.
        foreach (var (prefix, manifest) in new[] { ("incremental", deltas.LastOrDefault()), ("full", fullHandle?.Manifest) })
        {
            foreach (var (metric, figure) in new[] { ("build_seconds", "build_s"), ("epoch_s", "epoch_s"), ("export_index_seconds", "export_index_s") })
            {
                figures[$"{prefix}_update_{figure}"] = manifest?.Metrics.GetValueOrDefault(metric, double.NaN) ?? double.NaN;
            }
        }
        Console.WriteLine($"freshness: artifact bytes: incremental (delta) {figures["incremental_artifact_bytes"]:N0}, full {figures["full_artifact_bytes"]:N0}");

        await stop.CancelAsync();
        var log = await loadTask;
        await eventTask;
        var seenOutcomes = await outcomes;
        var incremental = seenOutcomes.Where(o => o.Channel == TwoTower && o.Version != fullHandle?.Manifest.Version).ToArray();
        figures["incremental_updates"] = incremental.Length;
        figures["incremental_build_s"] = incremental.Length == 0 ? double.NaN : incremental.Average(o => o.Seconds);
        figures["cf_updates"] = seenOutcomes.Count(o => o.Channel != TwoTower);
        figures["requests"] = log.Count + log.Dropped + log.Failed;
        figures["request_p99_ms"] = log.Percentile(0.99);
        figures["events_posted"] = events.Posted;
        figures["failed_requests"] = log.Failed + events.Failed + probe.Failed;
        Console.WriteLine($"freshness: {figures["requests"]:N0} requests, {events.Posted:N0} events posted, {incremental.Length} incremental and {figures["cf_updates"]} ItemCF versions activated; failed {figures["failed_requests"]}");
    }

    /// <summary>Up to 30 clickers of <paramref name="anchor"/> whose primary cluster is its cluster (all its clickers when fewer than 10 are).</summary>
    internal static long[] Cohort(IReadOnlyList<Interaction> positives, long anchor, GroundTruthModel truth)
    {
        var clickers = positives.Where(e => e.ItemId == anchor).Select(e => e.UserId).Distinct().Order().ToArray();
        var cluster = truth.ItemCluster(anchor);
        var sharing = clickers.Where(u => truth.UserClusters(u).Primary == cluster).ToArray();
        return (sharing.Length >= 10 ? sharing : clickers).Take(30).ToArray();
    }

    /// <summary>The argument that makes the benchmark's executable build the start-up artifacts (<see cref="BuildMainAsync"/>).</summary>
    internal const string BuildMode = "--freshness-build";

    /// <summary>
    /// Builds the service's start-up artifacts under <paramref name="root"/> in a child process (this executable in
    /// <see cref="BuildMode"/>) and records its time and peak memory.
    /// </summary>
    private static async Task BuildInChildAsync(string root, bool quick, Dictionary<string, double> figures, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var start = RemoteLoad.OwnExecutable([BuildMode, root, quick ? "quick" : "full"]);
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        string? line;
        while ((line = await child.StandardOutput.ReadLineAsync(ct)) is not null)
        {
            Console.WriteLine(line);
            if (line.StartsWith("build_peak_memory_mb=", StringComparison.Ordinal))
            {
                figures["build_peak_memory_mb"] = double.Parse(line.AsSpan(line.IndexOf('=', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
            }
        }

        await child.WaitForExitAsync(ct);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the start-up artifacts in a child process failed (exit code {child.ExitCode}); its output is above.");
        }

        figures["build_s"] = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"freshness: start-up artifacts built in a child process in {figures["build_s"]:F1} s");
    }

    /// <summary>The child of <see cref="BuildInChildAsync"/>: <c>--freshness-build ROOT quick|full</c>.</summary>
    public static async Task<int> BuildMainAsync(string[] args)
    {
        var root = args[1];
        var quick = args[2] == "quick";
        var host = await ServedHost.StartAsync(new ServeSettings(Path.Combine(root, "data")), Configuration(root, quick), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"freshness: the child built and activated every start-up channel in {host.StartSeconds:F1} s; {Memory()}"));
        await host.StopAsync();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build_peak_memory_mb={process.PeakWorkingSet64 / (1024.0 * 1024.0):F0}"));
        return 0;
    }

    /// <summary>This process's resident memory, the GC heap and what the GC has committed (the rest of resident memory is native: libtorch, Faiss, SQLite).</summary>
    internal static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        const double Gb = 1024.0 * 1024 * 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"memory: resident {process.WorkingSet64 / Gb:F2} GB, GC heap {info.HeapSizeBytes / Gb:F2} GB (committed {info.TotalCommittedBytes / Gb:F2} GB, fragmented {info.FragmentedBytes / Gb:F2} GB)");
    }

    /// <summary>Every update outcome the worker records until <paramref name="stop"/> fires (polled; one entry per version).</summary>
    private static async Task<List<ModelUpdateOutcome>> WatchOutcomesAsync(ModelUpdateWorker worker, CancellationToken stop)
    {
        var seen = new Dictionary<string, ModelUpdateOutcome>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var outcome in worker.Outcomes.Values)
            {
                seen.TryAdd($"{outcome.Channel}/{outcome.Version}", outcome);
            }

            if (stop.IsCancellationRequested)
            {
                return seen.Values.Where(o => o.Activated).ToList();
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>The serve benchmark's configuration, without UserCF (not measured here: the start-up builds less).</summary>
    private static Dictionary<string, string?> Configuration(string root, bool quick)
    {
        var configuration = ServeBenchmark.BaseConfiguration(root, quick);
        configuration["RecFramework:Channels:usercf:Enabled"] = "false";
        return configuration;
    }

    /// <summary>
    /// The worker's schedule: an incremental two-tower update every minute over the last two hours (worker time: the
    /// window holds every event streamed since start-up and none of the period, which ended a day ago), and an ItemCF
    /// rebuild from the whole log now and then, so that its swaps happen under the load too.
    /// </summary>
    private static ModelUpdateOptions Schedule(bool quick, int days) => new()
    {
        Enabled = true,
        Channels = new(StringComparer.Ordinal)
        {
            [TwoTower] = new ModelUpdateSchedule
            {
                EveryMinutes = 1,
                WindowMinutes = 120,
                RetrySeconds = 5,
                Parameters = new(StringComparer.Ordinal) { ["update"] = "incremental" },
            },
            ["itemcf"] = new ModelUpdateSchedule { EveryMinutes = quick ? 3 : 30, WindowMinutes = (days + 2) * 1_440 },
        },
    };

    private static void Report(Dictionary<string, double> figures, string figure, string load) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"freshness: {figure} = {figures[figure]:F3} (load average {figures[load]:F2})"));

    private static int Int(BenchContext context, string name, int fallback) =>
        context.Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
