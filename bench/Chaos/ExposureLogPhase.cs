using System.Net;
using RecFramework.Experiments.Logging;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// The exposure log under faults: bytes per request at k = 50 in a clean phase; half a JSON line appended after a
/// <c>kill -9</c> (a torn write); after the restart the log must read (<see cref="LoggedEventsFile.Read(string, out LoggedEventsReadReport)"/>)
/// with the torn line cut or skipped and every request served since present.
/// </summary>
internal static class ExposureLogPhase
{
    public const string TornLine = """{"type":"request","requestId":"torn-by-kill-9","userId":1,"items":[1,2""";

    /// <summary>Serves <paramref name="requests"/> requests at k = 50 and returns the log bytes they added per request (and the 5xx answers).</summary>
    public static async Task<(double BytesPerRequest, int ServerErrors)> BytesPerRequestAsync(ChaosService service, int requests, int users, CancellationToken cancellationToken)
    {
        var before = await SettledBytesAsync(service.ExposurePath, cancellationToken);
        var served = 0;
        var serverErrors = 0;
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var response = await service.Http.GetAsync(new Uri($"/recommend/{1 + (i % (users - 1))}?k=50", UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref served);
            }
            else if ((int)response.StatusCode >= 500)
            {
                Interlocked.Increment(ref serverErrors);
            }
        });

        var after = await SettledBytesAsync(service.ExposurePath, cancellationToken);
        return (served == 0 ? double.NaN : (after - before) / (double)served, serverErrors);
    }

    /// <summary>Appends half a line to the log (the service is down).</summary>
    public static void Tear(ChaosService service) => File.AppendAllText(service.ExposurePath, TornLine);

    /// <summary>Serves requests with known ids, then reads the log; null when it holds, else what is wrong.</summary>
    public static async Task<(string? Problem, LoggedEventsReadReport? Report)> VerifyAsync(ChaosService service, int requests, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, requests).Select(i => $"after-torn-{i}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/recommend/{1 + i}?k=20", UriKind.Relative));
            request.Headers.Add("X-Request-Id", id);
            using var response = await service.Http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return ($"/recommend answered {(int)response.StatusCode} after the restart", null);
            }
        }

        await SettledBytesAsync(service.ExposurePath, cancellationToken);
        try
        {
            var log = LoggedEventsFile.Read(service.ExposurePath, out var report);
            var logged = log.Requests.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
            var missing = ids.Count(id => !logged.Contains(id));
            return (missing == 0 ? null : $"{missing} of {ids.Count} requests served after the restart are not in the log", report);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return ($"the log does not read: {ex.GetType().Name}: {ex.Message}", null);
        }
    }

    /// <summary>Total bytes of the log and its rotated files once it stopped growing (the service flushes every second).</summary>
    private static async Task<long> SettledBytesAsync(string path, CancellationToken cancellationToken)
    {
        long Bytes() => LoggedEventsFile.RotatedSet(path).Sum(f => new FileInfo(f).Length);
        var last = -1L;
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(500, cancellationToken);
            var now = Bytes();
            if (now == last && i >= 3)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}
