using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace RecFramework.Host.Tests;

/// <summary>The instruments are recorded, the /metrics snapshot shows them, and OTLP export reaches a collector when configured.</summary>
public sealed class TelemetryTests
{
    private static string TinyData()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-telemetry-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "interactions.csv"), ["user_id,item_id,timestamp", "1,1,100", "2,1,101", "2,2,102"]);
        return dir;
    }

    private static object Events(long now) => new
    {
        events = new object[]
        {
            new { userId = 1, itemId = 2, type = "click", timestamp = now },
            new { userId = 1, itemId = 3, type = "like", timestamp = now },
            new { userId = 1, itemId = 3, type = "teleport", timestamp = now },
        },
    };

    [Fact]
    public async Task RequestsEventsAndChannelsAreRecordedOnTheMeters()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(TinyData()));
        await using var _ = app;
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, "RecFramework", "recfw.requests");
        using var channelLatency = new MetricCollector<double>(meters, "RecFramework", "recfw.channel.duration");
        using var accepted = new MetricCollector<long>(meters, "RecFramework.Service", "recfw.events.accepted");
        using var rejected = new MetricCollector<long>(meters, "RecFramework.Service", "recfw.events.rejected");
        using var badRequests = new MetricCollector<long>(meters, "RecFramework.Service", "recfw.recommend.rejected");

        (await client.GetAsync(new Uri("/recommend/1?k=2", UriKind.Relative))).EnsureSuccessStatusCode();
        await client.GetAsync(new Uri("/recommend/1?k=0", UriKind.Relative));
        await client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), Events(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(1, requests.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(channelLatency.GetMeasurementSnapshot(), m => Equals(m.Tags["channel"], "popular"));
        Assert.Equal(["click", "like"], accepted.GetMeasurementSnapshot().Select(m => (string)m.Tags["type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(1, rejected.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, badRequests.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task MetricsSnapshotShowsCountersAndLatencyHistograms()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(TinyData()));
        await using var _ = app;
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync(new Uri($"/recommend/{i + 1}?k=2", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        var series = json.RootElement.EnumerateArray().ToArray();
        var requests = series.Single(s => s.GetProperty("name").GetString() == "recfw.requests");
        Assert.Equal(3, requests.GetProperty("sum").GetDouble());
        var latency = series.Single(s => s.GetProperty("name").GetString() == "recfw.request.duration");
        Assert.Equal("histogram", latency.GetProperty("kind").GetString());
        Assert.Equal(3, latency.GetProperty("count").GetInt64());
        Assert.InRange(latency.GetProperty("p99").GetDouble(), latency.GetProperty("min").GetDouble(), latency.GetProperty("max").GetDouble());
        Assert.Contains(series, s => s.GetProperty("name").GetString() == "http.server.request.duration");
    }

    [Fact]
    public async Task NothingIsExportedWithoutAnEndpoint()
    {
        var (app, _) = await ServiceAppFactory.StartAsync(new ServeSettings());
        await using var __ = app;

        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task OtlpExportReachesTheConfiguredCollector()
    {
        var received = new ConcurrentDictionary<string, string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.AddOrUpdate(signal, Encoding.Latin1.GetString(body.ToArray()), (_, old) => old + Encoding.Latin1.GetString(body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Telemetry:OtlpEndpoint"] = collector.Urls.Single(),
            ["RecFramework:Telemetry:ExportIntervalMs"] = "3600000",
        };
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(TinyData()), settings);
        await using var _ = app;

        (await client.GetAsync(new Uri("/recommend/1?k=2", UriKind.Relative))).EnsureSuccessStatusCode();
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush());

        // OTLP protobuf carries names and attribute keys as plain UTF-8 strings.
        Assert.Contains("recfw.requests", received["metrics"], StringComparison.Ordinal);
        Assert.Contains("recframework-host", received["metrics"], StringComparison.Ordinal);
        Assert.Contains("recfw.assignment", received["traces"], StringComparison.Ordinal);
    }
}
