using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using RecFramework.Host;

namespace RecFramework.Bench.Serve;

/// <summary>The real Host (<see cref="ServiceApp"/>) on a loopback Kestrel port, with an admin client.</summary>
internal sealed class ServedHost : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key";

    private int _disposed;

    private ServedHost(WebApplication app, Uri address, double startSeconds)
    {
        App = app;
        Address = address;
        StartSeconds = startSeconds;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>Seconds from build to ready (seeding the stores and building missing artifacts included).</summary>
    public double StartSeconds { get; }

    public HttpClient Admin { get; }

    /// <summary>Builds and starts the service on a free loopback port; throws unless <c>/ready</c> answers 200.</summary>
    public static async Task<ServedHost> StartAsync(ServeSettings settings, IReadOnlyDictionary<string, string?> configuration, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var app = ServiceApp.Build(["--urls", "http://127.0.0.1:0"], settings, builder => builder.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync(cancellationToken);
        var host = new ServedHost(app, new Uri(app.Urls.First()), watch.Elapsed.TotalSeconds);
        var ready = await host.Admin.GetAsync(new Uri("/ready", UriKind.Relative), cancellationToken);
        if (!ready.IsSuccessStatusCode)
        {
            var body = await ready.Content.ReadAsStringAsync(cancellationToken);
            await host.DisposeAsync();
            throw new InvalidOperationException($"The host is not ready: {body}");
        }

        return host;
    }

    /// <summary>Activates <paramref name="version"/> of <paramref name="channel"/> through the admin API; returns the milliseconds it took.</summary>
    public async Task<double> ActivateAsync(string channel, string version, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var response = await Admin.PostAsync(new Uri($"/admin/channels/{channel}/activate/{version}", UriKind.Relative), null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Activating {channel} {version} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>A figure of the <c>/metrics</c> snapshot (e.g. the p99 of <c>recfw.request.duration</c>), NaN when absent.</summary>
    public async Task<double> MetricAsync(string name, string field, CancellationToken cancellationToken, string tags = "")
    {
        using var json = JsonDocument.Parse(await Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken));
        foreach (var series in json.RootElement.EnumerateArray())
        {
            if (series.GetProperty("name").GetString() == name && series.GetProperty("tags").GetString() == tags && series.GetProperty(field).ValueKind == JsonValueKind.Number)
            {
                return series.GetProperty(field).GetDouble();
            }
        }

        return double.NaN;
    }

    /// <summary>Versions of <paramref name="channel"/> listed by the admin API.</summary>
    public async Task<string[]> VersionsAsync(string channel, CancellationToken cancellationToken)
    {
        var channels = await Admin.GetFromJsonAsync<JsonElement>(new Uri("/admin/channels", UriKind.Relative), cancellationToken);
        return channels.EnumerateArray()
            .Single(c => c.GetProperty("channel").GetString() == channel)
            .GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToArray();
    }

    /// <summary>Graceful stop (what SIGTERM does): drain in-flight requests, then dispose (event store and exposure log flushed).</summary>
    public async Task StopAsync()
    {
        await App.StopAsync();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Admin.Dispose();
            await App.DisposeAsync();
        }
    }
}
