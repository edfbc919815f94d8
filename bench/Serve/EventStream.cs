using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;

namespace RecFramework.Bench.Serve;

/// <summary>
/// A steady stream of <c>POST /events</c> batches (clicks of random users on random items, each event carrying a
/// unique request id) and the ids the service acknowledged with 2xx, to be looked up in the event store after a
/// restart. Failures are counted only while <see cref="CountFailures"/> is on (during a shutdown refused connections
/// are expected: those events were never acknowledged).
/// </summary>
internal sealed class EventStream(Uri baseAddress, string prefix, int users, int items, int batchSize, double batchesPerSecond, int seed) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 8, UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private long _posted;
    private long _failed;
    private long _next;

    public bool CountFailures { get; set; } = true;

    public long Posted => Interlocked.Read(ref _posted);

    public long Failed => Interlocked.Read(ref _failed);

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    /// <summary>Posts until <paramref name="stop"/> fires (a few concurrent batches at most).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        for (var i = 0L; !stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i / batchesPerSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(PostOneAsync());
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private async Task PostOneAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = new object[batchSize];
        var ids = new string[batchSize];
        for (var e = 0; e < batchSize; e++)
        {
            var n = (ulong)Interlocked.Increment(ref _next);
            ids[e] = $"{prefix}-{n}";
            var user = 1 + (long)(LoadGenerator.Mix((ulong)seed + 1, n) % (ulong)users);
            var item = 1 + (long)(LoadGenerator.Mix((ulong)seed + 2, n) % (ulong)items);
            events[e] = new { userId = user, itemId = item, type = e % 5 == 4 ? "like" : "click", timestamp = now, requestId = ids[e] };
        }

        Interlocked.Add(ref _posted, batchSize);
        try
        {
            using var response = await _client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new { events }).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                foreach (var id in ids)
                {
                    _acknowledged.Enqueue(id);
                }
            }
            else if (CountFailures)
            {
                Interlocked.Increment(ref _failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            if (CountFailures)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
