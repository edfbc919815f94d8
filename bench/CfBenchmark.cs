using RecFramework.Lifecycle;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Channels.ItemCF;
using RecFramework.Data;
using RecFramework.DependencyInjection;

namespace RecFramework.Bench;

/// <summary>
/// <c>cf</c>: builds ItemCF, UserCF and Swing on synthetic data (full: 1M users, 1M items, 10M interactions; quick:
/// 10k users, 10k items, 100k interactions) with the channels' default options on every core, then times online
/// recall calls against each artifact. Figures: <c>itemcf_build_s</c>, <c>usercf_build_s</c>, <c>swing_build_s</c>,
/// <c>peak_memory_mb</c>, <c>recall_p99_ms</c> (worst channel) and per-channel latency percentiles.
/// Options: <c>--users N --items N --interactions N --requests N --seed N</c>.
/// </summary>
internal sealed class CfBenchmark : IBenchmark
{
    public string Name => "cf";

    public string Description => "ItemCF / UserCF / Swing build time, peak memory and recall latency on synthetic data (1M x 1M x 10M; --quick 100k).";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var users = int.Parse(context.Option("--users") ?? (context.Quick ? "10000" : "1000000"), System.Globalization.CultureInfo.InvariantCulture);
        var items = int.Parse(context.Option("--items") ?? (context.Quick ? "10000" : "1000000"), System.Globalization.CultureInfo.InvariantCulture);
        var interactions = int.Parse(context.Option("--interactions") ?? (context.Quick ? "100000" : "10000000"), System.Globalization.CultureInfo.InvariantCulture);
        var requests = int.Parse(context.Option("--requests") ?? (context.Quick ? "2000" : "20000"), System.Globalization.CultureInfo.InvariantCulture);
        var seed = int.Parse(context.Option("--seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
        var figures = new Dictionary<string, double>
        {
            ["users"] = users,
            ["items"] = items,
            ["interactions"] = interactions,
            ["cores"] = Environment.ProcessorCount,
        };

        figures["load_avg_1m_start"] = LoadAverage();
        var watch = Stopwatch.StartNew();
        var data = new InteractionDataset($"cf-synthetic-{users}x{items}x{interactions}", SyntheticCf.Generate(users, items, interactions, seed));
        figures["generate_s"] = watch.Elapsed.TotalSeconds;
        figures["active_users"] = data.Interactions.Select(e => e.UserId).Distinct().Count();
        figures["active_items"] = data.Interactions.Select(e => e.ItemId).Distinct().Count();
        Console.WriteLine($"generated {data.Interactions.Length:N0} interactions ({figures["active_users"]:N0} users and {figures["active_items"]:N0} items with at least one) in {watch.Elapsed.TotalSeconds:F1} s");

        var root = Path.Combine(Path.GetTempPath(), "rf-cf-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new FileArtifactStore(root);

            // The channels' public registrations with an empty configuration: every channel gets its default options.
            var services = new ServiceCollection();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = root }).Build();
            services.AddRecFramework(configuration).AddItemCFChannel().AddUserCFChannel().AddSwingChannel();
            await using var provider = services.BuildServiceProvider();
            var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
            var channels = new (string Name, IChannelBuilder Builder, Func<IRecallChannel> Channel)[]
            {
                Registered(provider, ItemCFOptions.ChannelName),
                Registered(provider, UserCFOptions.ChannelName),
                Registered(provider, SwingOptions.ChannelName),
            };
            var handles = new List<ArtifactHandle>();
            foreach (var (name, _, _) in channels)
            {
                watch.Restart();
                var lastStatus = "";
                var handle = await lifecycle.BuildAsync(name, data, new ChannelBuildSettings
                {
                    Seed = seed,
                    Progress = new ConsoleProgress(name, s => lastStatus = s),
                }, cancellationToken);
                handles.Add(handle);
                var buildSeconds = watch.Elapsed.TotalSeconds;
                figures[$"{name}_build_s"] = buildSeconds;
                figures[$"{name}_index_mb"] = handle.Manifest.Files.Sum(f => f.Bytes) / (1024.0 * 1024.0);
                Console.WriteLine($"{name}: built in {buildSeconds:F1} s (matrix {handle.Manifest.Metrics["matrix_seconds"]:F1} s, similarity {handle.Manifest.Metrics["similarity_seconds"]:F1} s), {handle.Manifest.Metrics["neighbour_entries"]:N0} neighbour entries");
                GC.Collect();
            }

            // Latency after all builds, one artifact in memory at a time (a fresh channel instance each, not the
            // lifecycle's registered one, so that the previous channel's artifact is garbage before the next loads), so build garbage and file write-back
            // do not land in the timings.
            var worstP99 = 0.0;
            for (var c = 0; c < channels.Length; c++)
            {
                var (name, _, factory) = channels[c];
                watch.Restart();
                var channel = factory();
                await ((IArtifactChannel)channel).ActivateAsync(store.Open(name, handles[c].Manifest.Version), cancellationToken);
                figures[$"{name}_load_s"] = watch.Elapsed.TotalSeconds;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var gcBefore = GC.CollectionCount(0);
                var (p50, p99) = await MeasureRecallAsync(channel, data, requests, seed, cancellationToken);
                figures[$"{name}_recall_gc0"] = GC.CollectionCount(0) - gcBefore;
                figures[$"{name}_recall_p50_ms"] = p50;
                figures[$"{name}_recall_p99_ms"] = p99;
                worstP99 = Math.Max(worstP99, p99);
                Console.WriteLine($"{name}: recall p50 {p50:F3} ms, p99 {p99:F3} ms over {requests} requests");
            }

            figures["recall_p99_ms"] = worstP99;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        figures["load_avg_1m_end"] = LoadAverage();
        using var process = Process.GetCurrentProcess();
        figures["peak_memory_mb"] = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        figures["gc_heap_peak_committed_mb"] = gc.TotalCommittedBytes / (1024.0 * 1024.0);
        figures["gc_total_allocated_mb"] = GC.GetTotalAllocatedBytes() / (1024.0 * 1024.0);
        figures["gc_gen2_collections"] = GC.CollectionCount(2);
        return figures;
    }

    private static (string Name, IChannelBuilder Builder, Func<IRecallChannel> Channel) Registered(IServiceProvider provider, string name) =>
        (name, provider.GetRequiredKeyedService<IChannelBuilder>(name), () => provider.GetRequiredKeyedService<IRecallChannel>(name));

    /// <summary>
    /// Single-threaded recall calls for random known users (artifact last-N path, K = 200) after a warm-up of at least
    /// 2,000 calls and 2 s, so tiered JIT compilation has settled before timing.
    /// </summary>
    private static async Task<(double P50, double P99)> MeasureRecallAsync(IRecallChannel channel, InteractionDataset data, int requests, int seed, CancellationToken cancellationToken)
    {
        var rng = new Random(seed);
        var events = data.Interactions;
        var timings = new double[requests];
        var nonEmpty = 0;
        var warmup = Stopwatch.StartNew();
        for (var w = 0; w < 2000 || warmup.Elapsed < TimeSpan.FromSeconds(2); w++)
        {
            await channel.RecallAsync(new RecallRequest { UserId = events[rng.Next(events.Length)].UserId, K = 200 }, cancellationToken);
        }

        for (var r = 0; r < requests; r++)
        {
            var user = events[rng.Next(events.Length)].UserId;
            var request = new RecallRequest { UserId = user, K = 200 };
            var start = Stopwatch.GetTimestamp();
            var result = await channel.RecallAsync(request, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            timings[r] = elapsed;
            nonEmpty += result.Items.Count > 0 ? 1 : 0;
        }

        if (nonEmpty < requests / 2)
        {
            throw new InvalidOperationException($"{channel.Name}: only {nonEmpty} of {requests} recall calls returned items; the latency figure would be meaningless.");
        }

        Array.Sort(timings);
        return (timings[requests / 2], timings[Math.Min(requests - 1, (int)Math.Ceiling(requests * 0.99) - 1)]);
    }

    /// <summary>The 1-minute load average (Linux), so latency tails can be read against machine contention; -1 elsewhere.</summary>
    private static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Prints "  {channel}: {percent} {status}" at every new tenth of a build (statuses do not repeat the channel).</summary>
    private sealed class ConsoleProgress(string name, Action<string> last) : IProgress<BuildProgress>
    {
        private int _decile = -1;

        public void Report(BuildProgress value)
        {
            last(value.Status);
            var decile = (int)(value.Fraction * 10);
            if (decile > Interlocked.Exchange(ref _decile, decile))
            {
                Console.WriteLine($"  {name}: {value.Fraction:P0} {value.Status}");
            }
        }
    }
}
