using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Stores;
using RecFramework.Stores.Contracts;
using RecFramework.Stores.Redis;
using RecFramework.Vectors;
using StackExchange.Redis;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>The user-vector cache of the two-tower channel: hits skip the tower and change nothing, versions isolate, failures degrade.</summary>
public sealed class UserVectorCacheTests(UserVectorCacheFixture fixture) : IClassFixture<UserVectorCacheFixture>
{
    private const string Channel = TwoTowerChannel.ChannelName;

    private static TwoTowerChannel Create(IUserEmbeddingStore? store, bool cache = true, ILogger<TwoTowerChannel>? logger = null, TimeProvider? time = null, int readTimeoutMs = 1_000) =>
        new(new ExactVectorIndexFactory(), Channel, new Monitor(new TwoTowerOptions { CacheUserVectors = cache, UserVectorCacheReadTimeoutMs = readTimeoutMs }), store, logger, time);

    private static async Task DrainAsync(TwoTowerChannel channel)
    {
        for (var i = 0; i < 500 && channel.Cache!.PendingWrites > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, channel.Cache!.PendingWrites);
    }

    private static RecallRequest Request(long user) => new() { UserId = user, K = 10 };

    [Fact]
    public async Task CacheHitSkipsTheTowerAndGivesTheSameVectorAndCandidatesAsAMiss()
    {
        var store = new InMemoryUserEmbeddingStore(TimeProvider.System);
        using var cached = Create(store);
        using var plain = Create(null, cache: false);
        await cached.ActivateAsync(fixture.First, default);
        await plain.ActivateAsync(fixture.First, default);

        var miss = await cached.RecallAsync(Request(3), default);
        await DrainAsync(cached);
        var passesAfterMiss = cached.TowerForwardPasses;
        var hit = await cached.RecallAsync(Request(3), default);

        Assert.Equal(1, passesAfterMiss);
        Assert.Equal(passesAfterMiss, cached.TowerForwardPasses);
        Assert.Equal(miss.Items, hit.Items);
        Assert.Equal((await plain.RecallAsync(Request(3), default)).Items, hit.Items);
        Assert.Equal(plain.UserVector(3, null), await store.GetAsync(Channel, fixture.First.Manifest.Version, 3));
    }

    [Fact]
    public async Task ANewModelVersionNeverServesTheOldVersionsVectors()
    {
        var store = new InMemoryUserEmbeddingStore(TimeProvider.System);
        using var cached = Create(store);
        using var plain = Create(null, cache: false);
        await cached.ActivateAsync(fixture.First, default);
        var poisoned = Enumerable.Repeat(0f, 16).ToArray();
        poisoned[0] = 1;
        await store.SetAsync(Channel, fixture.First.Manifest.Version, 5, poisoned, TimeSpan.FromHours(1));
        await plain.ActivateAsync(fixture.First, default);
        Assert.NotEqual((await plain.RecallAsync(Request(5), default)).Items, (await cached.RecallAsync(Request(5), default)).Items);

        await cached.ActivateAsync(fixture.Second, default);
        await plain.ActivateAsync(fixture.Second, default);
        var afterSwap = await cached.RecallAsync(Request(5), default);
        await DrainAsync(cached);

        Assert.NotEqual(fixture.First.Manifest.Version, fixture.Second.Manifest.Version);
        Assert.Equal(fixture.Second.Manifest.Version, afterSwap.Version);
        Assert.Equal((await plain.RecallAsync(Request(5), default)).Items, afterSwap.Items);
        Assert.Equal(plain.UserVector(5, null), await store.GetAsync(Channel, fixture.Second.Manifest.Version, 5));
        Assert.Equal(poisoned, await store.GetAsync(Channel, fixture.First.Manifest.Version, 5));
    }

    [Fact]
    public async Task ModelsThatReadRequestHistoryBypassTheCache()
    {
        var store = new InMemoryUserEmbeddingStore(TimeProvider.System);
        var logger = new FakeLogger<TwoTowerChannel>();
        using var cached = Create(store, logger: logger);
        await cached.ActivateAsync(fixture.WithHistory, default);

        await cached.RecallAsync(Request(7), default);
        await cached.RecallAsync(Request(7), default);

        Assert.Equal(2, cached.TowerForwardPasses);
        Assert.Equal(0, store.Count);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 3003 && r.Message.Contains("bypassed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingStoreDegradesToTheTowerAndWarnsOncePerInterval()
    {
        var time = new ManualTime();
        var logger = new FakeLogger<TwoTowerChannel>();
        using var cached = Create(new FailingStore(), logger: logger, time: time);
        using var plain = Create(null, cache: false);
        await cached.ActivateAsync(fixture.First, default);
        await plain.ActivateAsync(fixture.First, default);

        for (long user = 1; user <= 3; user++)
        {
            Assert.Equal((await plain.RecallAsync(Request(user), default)).Items, (await cached.RecallAsync(Request(user), default)).Items);
        }

        await DrainAsync(cached);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3001 && r.Level == LogLevel.Warning);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3002 && r.Level == LogLevel.Warning);

        time.Advance(UserVectorCacheWarningInterval() + TimeSpan.FromSeconds(1));
        await cached.RecallAsync(Request(4), default);

        var reads = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 3001).ToArray();
        Assert.Equal(2, reads.Length);
        Assert.Contains("2 more failures", reads[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsAreServedWhileRedisIsDown()
    {
        var server = RedisServerProcess.Start();
        // Commands time out after 500 ms once the server is gone; the first connection may take longer (a cold client
        // on two busy cores once needed more than 500 ms and left the write-back below in its backlog).
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",connectTimeout=15000,syncTimeout=500,asyncTimeout=500");
        Assert.True(connection.IsConnected, "connected to the test's Redis server");
        var store = new RedisUserEmbeddingStore(connection, Options.Create(new RedisStoreOptions { KeyPrefix = $"tt{Guid.NewGuid():N}:" }));
        var logger = new FakeLogger<TwoTowerChannel>();
        using var cached = Create(store, logger: logger, readTimeoutMs: 200);
        using var plain = Create(null, cache: false);
        await cached.ActivateAsync(fixture.First, default);
        await plain.ActivateAsync(fixture.First, default);
        await cached.RecallAsync(Request(1), default);
        await DrainAsync(cached);
        Assert.True(await store.GetAsync(Channel, fixture.First.Manifest.Version, 1) is not null,
            "the write-back landed; log: " + string.Join(" | ", logger.Collector.GetSnapshot().Select(r => $"{r.Message} {r.Exception?.GetType().Name} {r.Exception?.Message}")));
        var passes = cached.TowerForwardPasses;
        Assert.Equal((await plain.RecallAsync(Request(1), default)).Items, (await cached.RecallAsync(Request(1), default)).Items);
        Assert.Equal(passes, cached.TowerForwardPasses);

        server.Dispose();
        var whileDown = await cached.RecallAsync(Request(1), default);
        var other = await cached.RecallAsync(Request(2), default);

        Assert.Equal((await plain.RecallAsync(Request(1), default)).Items, whileDown.Items);
        Assert.Equal((await plain.RecallAsync(Request(2), default)).Items, other.Items);
        Assert.Equal(passes + 2, cached.TowerForwardPasses);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3001 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task ReadsSlowerThanTheTimeoutComputeTheTower()
    {
        var logger = new FakeLogger<TwoTowerChannel>();
        var never = new TaskCompletionSource<float[]?>();
        using var cached = Create(new SlowStore(never.Task), logger: logger, readTimeoutMs: 50);
        using var plain = Create(null, cache: false);
        await cached.ActivateAsync(fixture.First, default);
        await plain.ActivateAsync(fixture.First, default);

        var served = await cached.RecallAsync(Request(6), default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((await plain.RecallAsync(Request(6), default)).Items, served.Items);
        Assert.Equal(1, cached.TowerForwardPasses);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3001 && r.Exception is TimeoutException);
        never.SetException(new InvalidOperationException("late failure, observed"));
    }

    [Fact]
    public void CacheWithoutAStoreFailsNamingTheOption()
    {
        var ex = Assert.Throws<RecFrameworkException>(() => Create(null));

        Assert.Equal(RecError.InvalidConfiguration, ex.Error);
        Assert.Contains("CacheUserVectors", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UserVectorCacheTtlSeconds", "0")]
    [InlineData("UserVectorCacheReadTimeoutMs", "-5")]
    public async Task InvalidCacheSettingsFailAtStartNamingTheField(string field, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"RecFramework:Channels:{Channel}:Options:CacheUserVectors"] = "true",
            [$"RecFramework:Channels:{Channel}:Options:{field}"] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddTwoTowerChannel();
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.ValidateRecFrameworkAsync());

        Assert.Contains(ex.Failures, f => f.Contains(field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisteredChannelUsesTheRegisteredStore()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"RecFramework:Channels:{Channel}:Options:CacheUserVectors"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddTwoTowerChannel();
        await using var provider = services.BuildServiceProvider();
        await provider.ValidateRecFrameworkAsync();
        var channel = (TwoTowerChannel)provider.GetRequiredKeyedService<IRecallChannel>(Channel);
        await channel.ActivateAsync(fixture.First, default);

        await channel.RecallAsync(Request(9), default);
        await DrainAsync(channel);

        Assert.NotNull(await provider.GetRequiredService<IUserEmbeddingStore>().GetAsync(Channel, fixture.First.Manifest.Version, 9));
    }

    private static TimeSpan UserVectorCacheWarningInterval() => Serving.UserVectorCache.WarningInterval;

    private sealed class Monitor(TwoTowerOptions value) : IOptionsMonitor<TwoTowerOptions>
    {
        public TwoTowerOptions CurrentValue => value;

        public TwoTowerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TwoTowerOptions, string?> listener) => null;
    }

    private sealed class FailingStore : IUserEmbeddingStore
    {
        public ValueTask<float[]?> GetAsync(string channel, string version, long userId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("store down");

        public ValueTask SetAsync(string channel, string version, long userId, ReadOnlyMemory<float> vector, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new InvalidOperationException("store down"));
    }

    private sealed class SlowStore(Task<float[]?> read) : IUserEmbeddingStore
    {
        public ValueTask<float[]?> GetAsync(string channel, string version, long userId, CancellationToken cancellationToken = default) => new(read);

        public ValueTask SetAsync(string channel, string version, long userId, ReadOnlyMemory<float> vector, TimeSpan timeToLive, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
