using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace RecFramework.Bench.Freshness;

/// <summary>
/// The measuring client of <c>bench freshness</c>: posts a user's clicks through <c>POST /events</c> and reads
/// <c>GET /recommend</c> answers over HTTP, counting every answer that is not 2xx (or does not arrive) as a failure.
/// </summary>
internal sealed class FreshnessProbe(Uri address) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    private long _failed;

    /// <summary>Requests of this probe that failed (non-2xx or no answer).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Posts one batch of clicks (user, item) stamped now; true when the service acknowledged it with 2xx.</summary>
    public async Task<bool> ClickAsync(IEnumerable<(long User, long Item)> clicks, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = clicks.Select(c => new { userId = c.User, itemId = c.Item, type = "click", timestamp = now }).ToArray();
        try
        {
            using var response = await _client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new { events }, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }
        }
        catch (HttpRequestException)
        {
        }

        Interlocked.Increment(ref _failed);
        return false;
    }

    /// <summary>
    /// The items of a <c>/recommend</c> answer that any of <paramref name="channels"/> produced, and the version each
    /// channel of the answer reported; null when the request failed.
    /// </summary>
    public async Task<(HashSet<long> Items, Dictionary<string, string?> Versions)?> RecommendAsync(long user, int k, IReadOnlySet<string> channels, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri($"/recommend/{user}?k={k}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                var items = new HashSet<long>();
                foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                {
                    if (item.GetProperty("channels").EnumerateArray().Any(c => channels.Contains(c.GetString()!)))
                    {
                        items.Add(item.GetProperty("itemId").GetInt64());
                    }
                }

                var versions = json.RootElement.GetProperty("channels").EnumerateArray()
                    .ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("version").GetString(), StringComparer.Ordinal);
                return (items, versions);
            }
        }
        catch (HttpRequestException)
        {
        }

        Interlocked.Increment(ref _failed);
        return null;
    }

    /// <summary>
    /// Seconds from posting <paramref name="clicks"/> of <paramref name="user"/> to the first answer whose items from
    /// <paramref name="channels"/> differ from the answer just before; NaN when none differs within
    /// <paramref name="timeout"/>, or when another channel's version changed meanwhile (a hot swap, not the clicks,
    /// could then explain the change).
    /// </summary>
    public async Task<double> ReactionAsync(long user, long[] clicks, int k, IReadOnlySet<string> channels, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = await RecommendAsync(user, k, channels, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return double.NaN;
        }

        var watch = Stopwatch.StartNew();
        if (!await ClickAsync(clicks.Select(i => (user, i)), cancellationToken).ConfigureAwait(false))
        {
            return double.NaN;
        }

        while (watch.Elapsed < timeout)
        {
            var after = await RecommendAsync(user, k, channels, cancellationToken).ConfigureAwait(false);
            if (after is { } answer && !answer.Items.SetEquals(before.Value.Items))
            {
                var elapsed = watch.Elapsed.TotalSeconds;
                return answer.Versions.All(v => before.Value.Versions.GetValueOrDefault(v.Key) == v.Value) ? elapsed : double.NaN;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        return double.NaN;
    }

    public void Dispose() => _client.Dispose();
}
