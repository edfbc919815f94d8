using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Lifecycle;

namespace RecFramework.Host.Tests;

/// <summary>
/// Issue 20 item 4: two service instances over one artifact store, both watching it. An admin activation on one is
/// recorded in the store and the other swaps to the same version by itself while it serves requests, failing none.
/// </summary>
public sealed class ArtifactWatcherTests
{
    private static Dictionary<string, string?> Settings(string root, string replica)
    {
        var settings = SmallCatalog.Settings(root);
        settings["RecFramework:Stores:EventsPath"] = Path.Combine(root, $"events-{replica}.db");
        settings["RecFramework:ExposureLog:Path"] = Path.Combine(root, $"exposures-{replica}.jsonl");
        settings["RecFramework:Artifacts:WatchSeconds"] = "1";
        settings["RecFramework:Channels:swing:Enabled"] = "false";
        settings["RecFramework:Channels:usercf:Enabled"] = "false";
        settings["RecFramework:Channels:two-tower:Enabled"] = "false";
        return settings;
    }

    [Fact]
    public async Task AVersionActivatedOnOneReplicaIsServedByTheOtherWithoutAFailedRequest()
    {
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-watch", Guid.NewGuid().ToString("N"));
        var (first, admin) = await ServiceAppFactory.StartAsync(new ServeSettings(data), Settings(root, "a"));
        await using var _ = first;
        admin.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
        var (second, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data, BuildMissing: false), Settings(root, "b"));
        await using var __ = second;
        var servedBySecond = second.Services.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!;
        Assert.Equal("v0001", servedBySecond.ActiveVersion); // the version the first replica built and recorded

        // A second version, published (not activated) through the first replica.
        var lifecycle = first.Services.GetRequiredService<ChannelLifecycle>();
        Assert.Equal("v0002", (await lifecycle.BuildAsync("itemcf", Data.DatasetLoader.Load(data), new ChannelBuildSettings { Seed = 7 })).Manifest.Version);

        var failures = new ConcurrentQueue<string>();
        var versionsSeen = new ConcurrentDictionary<string, byte>();
        long served = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
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
                    if (outcome.GetProperty("status").GetString() is "Failed" or "Unknown")
                    {
                        failures.Enqueue($"{outcome.GetProperty("channel").GetString()}: {outcome.GetProperty("error").GetString()}");
                    }

                    if (outcome.GetProperty("channel").GetString() == "itemcf" && outcome.GetProperty("version").GetString() is { } version)
                    {
                        versionsSeen[version] = 0;
                    }
                }

                Interlocked.Increment(ref served);
            }
        })).ToArray();

        try
        {
            foreach (var version in new[] { "v0002", "v0001" })
            {
                var activate = await admin.PostAsync(new Uri($"/admin/channels/itemcf/activate/{version}", UriKind.Relative), null);
                Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
                Assert.Equal(version, lifecycle.Store.ActiveVersion("itemcf"));

                // The second replica swaps within its poll period (waited for generously), with requests in flight.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                while (servedBySecond.ActiveVersion != version || !versionsSeen.ContainsKey(version))
                {
                    Assert.False(timeout.IsCancellationRequested, $"the second replica still serves {servedBySecond.ActiveVersion}, not {version}");
                    await Task.Delay(50);
                }

                var before = Interlocked.Read(ref served);
                while (Interlocked.Read(ref served) < before + 10 && failures.IsEmpty)
                {
                    await Task.Delay(10);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.Empty(failures);
        Assert.Equal(["v0001", "v0002"], versionsSeen.Keys.Order(StringComparer.Ordinal));
    }
}
