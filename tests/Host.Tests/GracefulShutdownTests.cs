using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecFramework.DependencyInjection;
using RecFramework.Analysis.Comparison;
using RecFramework.Experiments.Logging;
using RecFramework.Stores;

namespace RecFramework.Host.Tests;

/// <summary>Stopping the service the way SIGTERM does lets in-flight requests finish and loses no acknowledged event or exposure.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task GracefulShutdownLosesNothing()
    {
        var root = Path.Combine(Path.GetTempPath(), "recfw-shutdown", Guid.NewGuid().ToString("N"));
        var eventsPath = Path.Combine(root, "events.db");
        var exposuresPath = Path.Combine(root, "exposures.jsonl");
        var gate = new GateChannel.Gate();
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Stores:EventsPath"] = eventsPath,
            ["RecFramework:ExposureLog:Path"] = exposuresPath,
            ["RecFramework:Channels:gate:TimeoutMs"] = "60000",
            ["RecFramework:Pipeline:RequestTimeoutMs"] = "600000",
        };
        var app = ServiceAppFactory.Build(new ServeSettings(), settings, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSingleton(gate);
            builder.Services.AddRecFramework(builder.Configuration).AddChannel<GateChannel>(GateChannel.ChannelName);
        });
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(started.SetResult);
        var run = app.RunAsync();

        // Safety net only (a start-up failure would otherwise hang the test): a failed start ends `run` first.
        await Task.WhenAny(started.Task, run);
        Assert.False(run.IsCompleted, run.Exception?.ToString());
        var address = new Uri(app.Urls.Single());
        using var client = new HttpClient { BaseAddress = address };

        // One request parked inside a channel, then a stream of event batches from several writers.
        using var inFlightRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/recommend/7?k=3", UriKind.Relative));
        inFlightRequest.Headers.Add("X-Request-Id", "in-flight-1");
        var inFlight = client.SendAsync(inFlightRequest);
        await gate.Entered.Task;
        var acknowledged = new ConcurrentBag<string>();
        var writersRunning = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var writer = new HttpClient { BaseAddress = address };
            for (var batch = 0; !writersRunning.IsCancellationRequested || batch < 5; batch++)
            {
                var ids = Enumerable.Range(0, 5).Select(i => $"w{w}-b{batch}-e{i}").ToArray();
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                try
                {
                    var response = await writer.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new
                    {
                        events = ids.Select(id => new { userId = 7, itemId = 100 + batch, type = "click", timestamp = now, requestId = id }).ToArray(),
                    });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.Add(id);
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the listener is closed: nothing more can be acknowledged
                }
            }
        })).ToArray();
        while (acknowledged.Count < 40 && !writers.All(w => w.IsCompleted))
        {
            await Task.Delay(10);
        }

        // What SIGTERM does (the console lifetime calls StopApplication); wait until the listener is closed, so the
        // server is draining, then let the parked request finish.
        lifetime.StopApplication();
        await writersRunning.CancelAsync();
        await WaitUntilRefusedAsync(address);
        gate.Open.SetResult();
        var response = await inFlight;
        await run;
        await Task.WhenAll(writers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Contains(4242L, json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64()));
        }

        // Restart on the same files: every acknowledged event is there, and the parked request was logged.
        await using var store = new SqliteEventStore(eventsPath);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAsync(0, 1_000_000))
        {
            stored.Add(e.RequestId!);
        }

        Assert.True(acknowledged.Count >= 40);
        Assert.DoesNotContain(acknowledged, id => !stored.Contains(id));
        Assert.Contains(LoggedEventsFile.Read(exposuresPath).Requests, r => r.RequestId == "in-flight-1");
    }

    private static async Task WaitUntilRefusedAsync(Uri address)
    {
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(address.Host, address.Port);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(20);
        }
    }
}
