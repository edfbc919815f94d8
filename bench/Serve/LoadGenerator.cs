using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Drives <c>GET /recommend</c> from this process over loopback HTTP/1.1: a closed loop (N workers back to back) to
/// find the saturation throughput, and an open loop (requests issued on a fixed schedule whatever the responses do,
/// latency measured from the scheduled start so queueing is not hidden) for latency at a given rate.
/// </summary>
/// <remarks>
/// At most <c>connections</c> keep-alive connections are open at once (wrk2's <c>-c</c>; a proxy's upstream pool).
/// When every one is busy a request waits for the next free one, and that wait counts in its latency (measured from
/// its scheduled time). Without a bound the client opens a new connection whenever none is idle at the moment a
/// request is due, so every stall of the service leaves more connections behind.
/// </remarks>
internal sealed class LoadGenerator : IDisposable
{
    /// <summary>Connections the generator opens at most unless told otherwise.</summary>
    public const int DefaultConnections = 64;

    private const int MaxInFlight = 4096;
    private readonly HttpClient _client;
    private readonly int _users;
    private readonly int _k;
    private readonly int _seed;
    private int _sequence;
    private int _connectionsOpened;

    /// <param name="baseAddress">The service.</param>
    /// <param name="users">Users are drawn from 1..users.</param>
    /// <param name="k">Items asked for.</param>
    /// <param name="seed">Seed of the user sequence.</param>
    /// <param name="connections">Most connections open at once.</param>
    public LoadGenerator(Uri baseAddress, int users, int k, int seed, int connections = DefaultConnections)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections);
        (_users, _k, _seed) = (users, k, seed);
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _connectionsOpened);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>TCP connections this generator has opened so far.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>
    /// Open loop only: how late each request left this generator after its scheduled time (dispatch wake-up and
    /// thread hand-off), which its latency includes but the service never saw.
    /// </summary>
    public LatencyLog? DispatchLags { get; private set; }

    /// <summary>Completed requests per second with <paramref name="workers"/> back-to-back callers for <paramref name="duration"/>.</summary>
    public async Task<(double Rps, LatencyLog Log)> ClosedLoopAsync(int workers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var log = new LatencyLog(2_000_000);
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(async w =>
        {
            while (watch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(log, started).ConfigureAwait(false);
            }
        }).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (log.Count / watch.Elapsed.TotalSeconds, log);
    }

    /// <summary>
    /// Issues <paramref name="rps"/> requests per second for <paramref name="duration"/> on a fixed schedule;
    /// <paramref name="during"/> runs concurrently (hot swap, event stream) and is awaited at the end.
    /// </summary>
    public async Task<(double AchievedRps, LatencyLog Log)> OpenLoopAsync(double rps, TimeSpan duration, Func<Task>? during, CancellationToken cancellationToken)
    {
        var total = (int)(rps * duration.TotalSeconds);
        var log = new LatencyLog(total);
        var lags = DispatchLags = new LatencyLog(total);
        var inFlight = new List<Task>(Math.Min(total, 1 << 16));
        var side = during?.Invoke() ?? Task.CompletedTask;
        var start = Stopwatch.GetTimestamp();
        var pending = 0;

        // One dedicated thread sleeps until each request's time (no spinning: it would take one of the two cores from
        // the server) and sends it itself: the request is written before the first await, so it leaves within about
        // a tenth of a millisecond of its time instead of waiting for a timer tick and a thread-pool hand-off (that
        // dispatch loop sent requests 2 ms late at the median and 4-5 ms at p99, all counted as the service's latency).
        // Latency still counts from the scheduled time; DispatchLags says how late each request left.
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
                {
                    var due = start + (long)(i / rps * Stopwatch.Frequency);
                    PreciseSleep.Until(due);
                    if (Volatile.Read(ref pending) >= MaxInFlight)
                    {
                        log.Fail(); // the server fell so far behind that the generator sheds load instead of growing without bound
                        continue;
                    }

                    Interlocked.Increment(ref pending);
                    inFlight.Add(SendTrackedAsync(due));
                }

                dispatched.SetResult();
            }
            catch (Exception ex)
            {
                dispatched.SetException(ex);
            }
        })
        { IsBackground = true, Name = "load-dispatch" };
        dispatcher.Start();
        await dispatched.Task.ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await side.ConfigureAwait(false);
        return (log.Count / elapsed, log);

        async Task SendTrackedAsync(long due)
        {
            try
            {
                await SendAsync(log, due, lags).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref pending);
            }
        }
    }

    /// <summary>
    /// A steady background load until <paramref name="stop"/> fires: <paramref name="workers"/> callers, each pausing
    /// <paramref name="pause"/> after every answer (so the load leaves the machine room for builds running beside it).
    /// </summary>
    public async Task<LatencyLog> PacedAsync(int workers, TimeSpan pause, CancellationToken stop)
    {
        var log = new LatencyLog(1_000_000);
        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await SendAsync(log, Stopwatch.GetTimestamp()).ConfigureAwait(false);
                try
                {
                    await Task.Delay(pause, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return log;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>SplitMix64 of (seed, n): a deterministic, well-spread user sequence.</summary>
    internal static ulong Mix(ulong seed, ulong n)
    {
        var z = (seed * 0x9E3779B97F4A7C15UL) + (n * 0xBF58476D1CE4E5B9UL) + 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private async Task SendAsync(LatencyLog log, long scheduled, LatencyLog? lags = null)
    {
        lags?.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, scheduled);
        var n = Interlocked.Increment(ref _sequence);
        var user = 1 + (int)(Mix((ulong)_seed, (ulong)n) % (ulong)_users);
        try
        {
            using var response = await _client.GetAsync(new Uri($"/recommend/{user}?k={_k}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                // The whole body is read (the latency counts it) into a pooled buffer: this generator shares the
                // service's heap, and buffering every answer would add its garbage to the service's collections.
                var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    while (await body.ReadAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                log.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, scheduled);
            }
            else
            {
                log.Fail();
            }
        }
        catch (HttpRequestException)
        {
            log.Fail();
        }
        catch (TaskCanceledException)
        {
            log.Fail();
        }
    }
}
