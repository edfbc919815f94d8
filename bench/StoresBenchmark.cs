using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RecFramework.Stores;
using RecFramework.Stores.Redis;
using StackExchange.Redis;

namespace RecFramework.Bench;

/// <summary>
/// Online store figures: SQLite event-log append rate and latency (one writer at a time, and many concurrent writers
/// sharing group commits), and request-path read latency of history and popularity, in-memory versus Redis on
/// loopback (a private redis-server is started on a free port and stopped afterwards).
/// </summary>
internal sealed class StoresBenchmark : IBenchmark
{
    public string Name => "stores";

    public string Description => "SQLite event log appends; history/popularity read latency, in-memory vs Redis (needs redis-server)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var quick = context.Quick;
        var figures = new Dictionary<string, double>();
        var directory = Directory.CreateTempSubdirectory("rf-bench-stores-").FullName;
        try
        {
            await SqliteAppendsAsync(Path.Combine(directory, "events.db"), quick, figures, cancellationToken);
            using var redis = RedisProcess.Start(directory);
            using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            await ReadsAsync(connection, quick, figures, cancellationToken);
            await RedisAppendsAsync(connection, quick, figures, cancellationToken);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return figures;
    }

    private static async Task SqliteAppendsAsync(string path, bool quick, Dictionary<string, double> figures, CancellationToken ct)
    {
        await using var store = new SqliteEventStore(path);
        var rng = new Random(17);

        // One caller at a time: every append is its own commit and fsync.
        var sequential = quick ? 200 : 2000;
        var latencies = new double[sequential];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < sequential; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await store.AppendAsync([Event(rng)], ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        figures["sqlite_sequential_events_per_s"] = sequential / total.Elapsed.TotalSeconds;
        figures["sqlite_sequential_p50_ms"] = Percentile(latencies, 0.50);
        figures["sqlite_sequential_p99_ms"] = Percentile(latencies, 0.99);

        // Many concurrent callers with batches of 10 (the /events shape under load): group commit shares fsyncs.
        var callers = 64;
        var batchesPerCaller = quick ? 20 : 200;
        var concurrentLatencies = new double[callers * batchesPerCaller];
        total.Restart();
        await Parallel.ForAsync(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = ct }, async (c, token) =>
        {
            var local = new Random(c);
            for (var b = 0; b < batchesPerCaller; b++)
            {
                var batch = Enumerable.Range(0, 10).Select(_ => Event(local)).ToArray();
                var started = Stopwatch.GetTimestamp();
                await store.AppendAsync(batch, token);
                concurrentLatencies[(c * batchesPerCaller) + b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        });
        figures["sqlite_concurrent64x10_events_per_s"] = callers * batchesPerCaller * 10 / total.Elapsed.TotalSeconds;
        figures["sqlite_concurrent64x10_p50_ms"] = Percentile(concurrentLatencies, 0.50);
        figures["sqlite_concurrent64x10_p99_ms"] = Percentile(concurrentLatencies, 0.99);

        var expected = sequential + (callers * batchesPerCaller * 10);
        figures["sqlite_lost_events"] = expected - await store.CountAsync(ct);
    }

    private static async Task ReadsAsync(IConnectionMultiplexer connection, bool quick, Dictionary<string, double> figures, CancellationToken ct)
    {
        var users = quick ? 2_000 : 20_000;
        var items = quick ? 20_000 : 200_000;
        var perUser = 50;
        var options = Options.Create(new StoreOptions { HistoryCapacity = 200, PopularityRefreshMs = 1000 });
        var redisOptions = Options.Create(new RedisStoreOptions { KeyPrefix = "bench:" });
        var rng = new Random(23);
        var memoryHistory = new InMemoryUserHistoryStore(options);
        var redisHistory = new RedisUserHistoryStore(connection, redisOptions, options);
        var memoryPopularity = new InMemoryItemPopularityStore(options, TimeProvider.System);
        var redisPopularity = new RedisItemPopularityStore(connection, redisOptions, Options.Create(new StoreOptions { PopularityRefreshMs = 0 }), TimeProvider.System);

        var fill = Stopwatch.StartNew();
        var writes = new List<Task>();
        for (var u = 0; u < users; u++)
        {
            for (var j = 0; j < perUser; j++)
            {
                var e = new Interaction(u, rng.NextInt64(items), InteractionType.Click, j);
                await memoryHistory.AppendAsync(e, ct);
                writes.Add(redisHistory.AppendAsync(e, ct).AsTask());
            }

            if (writes.Count >= 5000)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
        figures["redis_history_appends_per_s_pipelined"] = users * perUser / fill.Elapsed.TotalSeconds;
        var counts = new Dictionary<long, double>();
        for (var i = 0; i < items; i++)
        {
            counts[i] = Math.Floor(1000.0 / (1 + i % 997)) + rng.Next(3);
        }

        await memoryPopularity.ReplaceAsync(counts, ct);
        await redisPopularity.ReplaceAsync(counts, ct);

        var reads = quick ? 2_000 : 20_000;
        await MeasureAsync("history50_memory", reads, i => memoryHistory.GetRecentAsync(i % users, 50, ct), figures);
        await MeasureAsync("history50_redis", reads, i => redisHistory.GetRecentAsync(i % users, 50, ct), figures);
        await MeasureAsync("top100_memory", reads, _ => memoryPopularity.GetTopAsync(100, ct), figures);
        await MeasureAsync("top100_redis", reads, _ => redisPopularity.GetTopAsync(100, ct), figures);
    }

    private static async Task RedisAppendsAsync(IConnectionMultiplexer connection, bool quick, Dictionary<string, double> figures, CancellationToken ct)
    {
        var store = new RedisEventStore(connection, Options.Create(new RedisStoreOptions { KeyPrefix = "bench:" }));
        var callers = 64;
        var batchesPerCaller = quick ? 20 : 200;
        var total = Stopwatch.StartNew();
        await Parallel.ForAsync(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = ct }, async (c, token) =>
        {
            var local = new Random(c);
            for (var b = 0; b < batchesPerCaller; b++)
            {
                await store.AppendAsync(Enumerable.Range(0, 10).Select(_ => Event(local)).ToArray(), token);
            }
        });
        figures["redis_stream_concurrent64x10_events_per_s"] = callers * batchesPerCaller * 10 / total.Elapsed.TotalSeconds;
        figures["redis_stream_lost_events"] = (callers * batchesPerCaller * 10) - await store.CountAsync(ct);
    }

    private static async Task MeasureAsync<T>(string name, int reads, Func<int, ValueTask<T>> read, Dictionary<string, double> figures)
    {
        for (var i = 0; i < Math.Min(200, reads); i++)
        {
            await read(i);
        }

        var latencies = new double[reads];
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await read(i * 7919);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        figures[$"{name}_p50_us"] = Percentile(latencies, 0.50);
        figures[$"{name}_p99_us"] = Percentile(latencies, 0.99);
    }

    private static EventRecord Event(Random rng) =>
        new(new Interaction(rng.NextInt64(100_000), rng.NextInt64(1_000_000), InteractionType.Click, 1_700_000_000 + rng.Next(1_000_000)), "req-" + rng.Next(), "layer=main;exp=e1;variant=b");

    private static double Percentile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    /// <summary>A private redis-server on a free loopback port with persistence off, in a temp directory.</summary>
    private sealed class RedisProcess : IDisposable
    {
        private readonly Process _process;

        private RedisProcess(Process process, int port)
        {
            _process = process;
            Configuration = $"127.0.0.1:{port}";
        }

        public string Configuration { get; }

        public static RedisProcess Start(string directory)
        {
            var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, "redis-server"))
                .FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("redis-server is not on PATH; the stores benchmark needs it (Debian: apt-get install redis-server).");
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = directory };
            foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
            process.OutputDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            var server = new RedisProcess(process, port);
            for (var attempt = 0; attempt < 200; attempt++)
            {
                try
                {
                    using var probe = ConnectionMultiplexer.Connect($"{server.Configuration},connectTimeout=500");
                    probe.GetDatabase().Ping();
                    return server;
                }
                catch (RedisConnectionException)
                {
                    Thread.Sleep(50);
                }
            }

            server.Dispose();
            throw new InvalidOperationException($"redis-server did not answer on {server.Configuration}.");
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
    }
}
