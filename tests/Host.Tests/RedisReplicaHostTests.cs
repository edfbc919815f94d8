using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;
using RecFramework.Experiments;
using RecFramework.Stores;
using RecFramework.Stores.Contracts;
using RecFramework.Stores.Redis;

namespace RecFramework.Host.Tests;

/// <summary>
/// Two Host instances on one real redis-server (loopback) share histories, popularity, the event log and neighbour
/// lists.
/// </summary>
public sealed class RedisReplicaHostTests : IClassFixture<RedisReplicaHostTests.RedisServer>
{
    private readonly RedisServer _redis;

    public RedisReplicaHostTests(RedisServer redis) => _redis = redis;

    private Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["RecFramework:Stores:Redis:Configuration"] = _redis.Process.Configuration,
        ["RecFramework:Stores:Redis:KeyPrefix"] = prefix,
        ["RecFramework:Stores:PopularityRefreshMs"] = "0",
    };

    [Fact]
    public async Task EventsPostedToOneReplicaAreSeenByTheOther()
    {
        var prefix = $"host{Guid.NewGuid():N}:";
        var (appA, clientA) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings(prefix));
        await using var a = appA;
        var (appB, clientB) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings(prefix));
        await using var b = appB;
        Assert.IsType<RedisEventStore>(appA.Services.GetRequiredService<IEventStore>());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var post = await clientA.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new
        {
            events = new object[]
            {
                new { userId = 1, itemId = 500, type = "click", timestamp = now, requestId = "r-1", assignment = "exp=a" },
                new { userId = 2, itemId = 500, type = "like", timestamp = now },
                new { userId = 2, itemId = 600, type = "click", timestamp = now },
            },
        });
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        using var json = JsonDocument.Parse(await clientB.GetStringAsync(new Uri("/recommend/1?k=5", UriKind.Relative)));
        var items = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64()).ToArray();
        Assert.Equal([600L], items);
        Assert.False(json.RootElement.GetProperty("coldStart").GetBoolean());

        var eventsB = appB.Services.GetRequiredService<IEventStore>();
        Assert.Equal(3, await eventsB.CountAsync());
        var first = await eventsB.ReadAsync(0, 1).FirstAsync();
        Assert.Equal((1L, 500L, "r-1", "exp=a"), (first.Event.UserId, first.Event.ItemId, first.RequestId, first.Assignment));
    }

    [Fact]
    public async Task BothReplicasAppendToOneEventSequence()
    {
        var prefix = $"host{Guid.NewGuid():N}:";
        var (appA, clientA) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings(prefix));
        await using var a = appA;
        var (appB, clientB) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings(prefix));
        await using var b = appB;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var posts = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? clientA : clientB).PostAsJsonAsync(
            new Uri("/events", UriKind.Relative),
            new { events = new[] { new { userId = 10 + i, itemId = 1000 + i, type = "click", timestamp = now } } }));
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var sequences = new List<long>();
        await foreach (var e in appA.Services.GetRequiredService<IEventStore>().ReadAsync(0, 100))
        {
            sequences.Add(e.Sequence);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task ReplicasReadingNeighbourListsFromRedisAgreeAndOnlyOnePublishes()
    {
        var prefix = $"host{Guid.NewGuid():N}:";
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-host-tests", Guid.NewGuid().ToString("N"));
        Dictionary<string, string?> Replica(string source, string name)
        {
            var settings = Settings(prefix);
            settings["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts");
            settings["RecFramework:Stores:EventsPath"] = Path.Combine(root, name, "events.db");
            settings["RecFramework:ExposureLog:Path"] = Path.Combine(root, name, "exposures.jsonl");
            settings["RecFramework:Channels:itemcf:Options:NeighbourSource"] = source;
            settings["RecFramework:Channels:swing:Enabled"] = "false";
            settings["RecFramework:Channels:usercf:Enabled"] = "false";
            settings["RecFramework:Channels:two-tower:Enabled"] = "false";
            return settings;
        }

        static void FakeLogs(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) => builder.Services.AddFakeLogging();

        // A seeds the shared stores, builds the itemcf artifact into the shared root and publishes its lists; B and the
        // in-process reference C open the same version.
        var (appA, clientA) = await ServiceAppFactory.StartAsync(new ServeSettings(data), Replica("Store", "a"), FakeLogs);
        await using var a = appA;
        var (appB, clientB) = await ServiceAppFactory.StartAsync(new ServeSettings(), Replica("Store", "b"), FakeLogs);
        await using var b = appB;
        var (appC, clientC) = await ServiceAppFactory.StartAsync(new ServeSettings(), Replica("Artifact", "c"), FakeLogs);
        await using var c = appC;

        static int Logged(Microsoft.AspNetCore.Builder.WebApplication app, int eventId) =>
            app.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Id.Id == eventId);
        Assert.Equal((1, 0), (Logged(appA, 2001), Logged(appA, 2002)));
        Assert.Equal((0, 1), (Logged(appB, 2001), Logged(appB, 2002)));
        Assert.Equal((0, 0), (Logged(appC, 2001), Logged(appC, 2002)));
        var version = appA.Services.GetRequiredService<RecFramework.Artifacts.IArtifactStore>().List("itemcf").Single().Version;
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Process.Configuration);
        Assert.True(await redis.GetDatabase().KeyExistsAsync($"{prefix}nb:itemcf:{version}:ready"));

        var fromItemCF = 0;
        foreach (var user in new[] { 1, 2, 3, 17, 42, 99, 150, 299 })
        {
            var url = new Uri($"/recommend/{user}?k=20", UriKind.Relative);
            using var jsonA = JsonDocument.Parse(await clientA.GetStringAsync(url));
            using var jsonB = JsonDocument.Parse(await clientB.GetStringAsync(url));
            using var jsonC = JsonDocument.Parse(await clientC.GetStringAsync(url));
            foreach (var json in new[] { jsonA, jsonB, jsonC })
            {
                var itemcf = json.RootElement.GetProperty("channels").EnumerateArray().Single(o => o.GetProperty("channel").GetString() == "itemcf");
                Assert.Equal("Ok", itemcf.GetProperty("status").GetString());
            }

            var items = jsonA.RootElement.GetProperty("items").GetRawText();
            Assert.Equal(items, jsonB.RootElement.GetProperty("items").GetRawText());
            Assert.Equal(items, jsonC.RootElement.GetProperty("items").GetRawText());
            fromItemCF += jsonA.RootElement.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("channels").EnumerateArray().Any(ch => ch.GetString() == "itemcf"));
        }

        Assert.True(fromItemCF > 20, $"only {fromItemCF} recommended items came from itemcf");
    }

    [Fact]
    public async Task ALaunchOnOneReplicaIsServedByTheOtherThroughTheRedisExperimentStore()
    {
        var prefix = $"host{Guid.NewGuid():N}:";
        const string AdminKey = "redis-store-admin-key";
        Dictionary<string, string?> Replica()
        {
            var settings = Settings(prefix);
            settings["RecFramework:Service:AdminApiKey"] = AdminKey;
            settings["RecFramework:ExperimentStore:Backend"] = "Redis";
            settings["RecFramework:ExperimentStore:PollMilliseconds"] = "100";
            // A file path no replica can share: the store must not be a file.
            settings["RecFramework:ExperimentStore:Path"] = Path.Combine(Path.GetTempPath(), "recfw-host-tests", Guid.NewGuid().ToString("N"), "experiments.json");
            settings["RecFramework:Experiments:BucketCount"] = "1000";
            settings["RecFramework:Experiments:Layers:0:Name"] = "recall";
            settings["RecFramework:Experiments:Layers:0:Salt"] = "recall";
            settings["RecFramework:Experiments:Layers:0:Parameters:ranker"] = "baseline";
            return settings;
        }

        var (appA, clientA) = await ServiceAppFactory.StartAsync(new ServeSettings(), Replica());
        await using var a = appA;
        var (appB, clientB) = await ServiceAppFactory.StartAsync(new ServeSettings(), Replica());
        await using var b = appB;
        clientA.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        clientB.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var routerA = appA.Services.GetRequiredService<RecFramework.Experiments.IExperimentRouter>();
        var routerB = appB.Services.GetRequiredService<RecFramework.Experiments.IExperimentRouter>();

        async Task PostAsync(string path, object body)
        {
            using var response = await clientA.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await PostAsync("/admin/experiments", new
        {
            layer = "recall",
            name = "exp-a",
            buckets = new[] { "0-399" },
            variants = new object[]
            {
                new { name = "control", share = 0.5 },
                new { name = "treatment", share = 0.5, parameters = new Dictionary<string, string> { ["ranker"] = "two-tower" } },
            },
        });
        await PostAsync("/admin/experiments/exp-a/start", new { });
        await PostAsync("/admin/experiments/exp-a/launch", new { variant = "treatment", reverseShare = 0.05 });

        // B reloads its router from the Redis store within a generous deadline (it polls every 100 ms).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (routerB.Current.Version != routerA.Current.Version && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(routerA.Current.Version, routerB.Current.Version);
        for (long user = 1; user <= 2000; user++)
        {
            var expected = Bucketing.Bucket("recall", user, 1000) < 50 ? ("reverse", "baseline") : ("default", "two-tower");
            var assigned = routerB.Assign(user);
            Assert.Equal(expected, (assigned.Layer("recall")!.Variant, assigned.Parameters["ranker"]));
        }

        // The store is the Redis document (version 3, three audit entries), read through B's audit endpoint too.
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Process.Configuration);
        Assert.Equal("3", await redis.GetDatabase().HashGetAsync($"{prefix}doc:experiments", "version"));
        Assert.False(File.Exists(appA.Configuration["RecFramework:ExperimentStore:Path"]));
        using var audit = JsonDocument.Parse(await clientB.GetStringAsync(new Uri("/admin/experiments/audit", UriKind.Relative)));
        Assert.Equal(3, audit.RootElement.GetProperty("storeVersion").GetInt64());
        Assert.Equal(["create", "start", "launch"], audit.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("operation").GetString()));
    }

    /// <summary>The real server for this class.</summary>
    public sealed class RedisServer : IDisposable
    {
        public RedisServerProcess Process { get; } = RedisServerProcess.Start();

        public void Dispose() => Process.Dispose();
    }
}
