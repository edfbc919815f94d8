using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;

namespace RecFramework.Host.Tests;

/// <summary>Activating artifact versions over and over while /recommend is hammered never fails a request or a channel.</summary>
public sealed class HotSwapUnderLoadTests
{
    [Fact]
    public async Task RepeatedActivationsUnderConcurrentLoadFailNothing()
    {
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-hotswap", Guid.NewGuid().ToString("N"));
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data), SmallCatalog.Settings(root));
        await using var _ = app;
        client.DefaultRequestHeaders.Add("X-Api-Key", "test-key");

        // A second version of every artifact channel, built from the same data with another seed.
        var dataset = DatasetLoader.Load(data);
        var store = app.Services.GetRequiredService<IArtifactStore>();
        foreach (var channel in SmallCatalog.ArtifactChannels)
        {
            var builder = app.Services.GetRequiredKeyedService<IChannelBuilder>(channel);
            await builder.BuildAsync(new ChannelBuildContext { Channel = channel, Data = dataset, Store = store, Seed = 7 }, CancellationToken.None);
            Assert.Equal(2, store.List(channel).Count);
        }

        var failures = new ConcurrentQueue<string>();
        var versionsSeen = new ConcurrentDictionary<string, byte>();
        long served = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var response = await client.GetAsync(new Uri($"/recommend/{rng.Next(1, SmallCatalog.Users + 1)}?k=20", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {body}");
                    continue;
                }

                using var json = JsonDocument.Parse(body);
                foreach (var outcome in json.RootElement.GetProperty("channels").EnumerateArray())
                {
                    var status = outcome.GetProperty("status").GetString();
                    if (status is "Failed" or "Unknown")
                    {
                        failures.Enqueue($"{outcome.GetProperty("channel").GetString()} {status}: {outcome.GetProperty("error").GetString()}");
                    }

                    if (outcome.GetProperty("channel").GetString() == "two-tower" && outcome.GetProperty("version").GetString() is { } version)
                    {
                        versionsSeen[version] = 0;
                    }
                }

                Interlocked.Increment(ref served);
            }
        })).ToArray();

        for (var round = 0; round < 12; round++)
        {
            // Let requests run between swaps (progress, not time), so every swap happens with requests in flight.
            var before = Interlocked.Read(ref served);
            while (Interlocked.Read(ref served) < before + 8 && failures.IsEmpty)
            {
                await Task.Yield();
            }

            var version = round % 2 == 0 ? "v0002" : "v0001";
            foreach (var channel in SmallCatalog.ArtifactChannels)
            {
                var activate = await client.PostAsync(new Uri($"/admin/channels/{channel}/activate/{version}", UriKind.Relative), null);
                Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(Interlocked.Read(ref served) >= 12 * 8, $"only {served} requests were served");
        Assert.Equal(["v0001", "v0002"], versionsSeen.Keys.Order(StringComparer.Ordinal));
    }
}
