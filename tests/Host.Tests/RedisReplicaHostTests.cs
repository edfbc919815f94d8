using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Stores;
using RecFramework.Stores.Contracts;
using RecFramework.Stores.Redis;

namespace RecFramework.Host.Tests;

/// <summary>Two Host instances on one real redis-server (loopback) share histories, popularity and the event log.</summary>
public sealed class RedisReplicaHostTests : IClassFixture<RedisReplicaHostTests.RedisServer>
{
    private readonly RedisServer _redis;

    public RedisReplicaHostTests(RedisServer redis) => _redis = redis;

    private Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["RecFramework:Stores:Backend"] = "redis",
        ["RecFramework:Stores:Redis"] = _redis.Process.Configuration,
        ["RecFramework:Stores:KeyPrefix"] = prefix,
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

    /// <summary>The real server for this class.</summary>
    public sealed class RedisServer : IDisposable
    {
        public RedisServerProcess Process { get; } = RedisServerProcess.Start();

        public void Dispose() => Process.Dispose();
    }
}
