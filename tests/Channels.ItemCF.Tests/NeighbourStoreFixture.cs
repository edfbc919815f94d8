using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Data.Synthetic;
using RecFramework.Stores;
using RecFramework.Stores.Contracts;
using RecFramework.Stores.Redis;
using StackExchange.Redis;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// An ML-100K-shaped synthetic dataset (943 users, 1,682 items) with one built artifact per neighbourhood channel, and
/// a real redis-server on loopback, shared by the store-source tests.
/// </summary>
public sealed class NeighbourStoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly RedisServerProcess _redis = RedisServerProcess.Start();
    private readonly Dictionary<string, ArtifactHandle> _artifacts = [];

    public NeighbourStoreFixture()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = 943,
            Items = 1_682,
            Clusters = 19,
            Interactions = 60_000,
            Days = 30,
            IncludeImpressions = false,
            Features = false,
            Seed = 7,
        }).Dataset;
        Interactions = data.Interactions;
        UserIds = [.. Interactions.Select(e => e.UserId).Distinct().Order()];
        Artifacts = new FileArtifactStore(_directory.Path);
        _artifacts["itemcf"] = new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions { BuildThreads = 1 }).BuildAsync(TestData.Context("itemcf", Interactions, Artifacts), default).GetAwaiter().GetResult();
        _artifacts["swing"] = new NeighbourhoodBuilder<SwingOptions>(new SwingOptions { BuildThreads = 1 }).BuildAsync(TestData.Context("swing", Interactions, Artifacts), default).GetAwaiter().GetResult();
        _artifacts["usercf"] = new NeighbourhoodBuilder<UserCFOptions>(new UserCFOptions { BuildThreads = 1 }).BuildAsync(TestData.Context("usercf", Interactions, Artifacts), default).GetAwaiter().GetResult();
        Connection = ConnectionMultiplexer.Connect(_redis.Configuration);
    }

    public Interaction[] Interactions { get; }

    public long[] UserIds { get; }

    public FileArtifactStore Artifacts { get; }

    public ConnectionMultiplexer Connection { get; }

    public ArtifactHandle Artifact(string channel) => _artifacts[channel];

    /// <summary>A fresh store of the given backend (<c>memory</c> or <c>redis</c>; Redis with a key prefix of its own).</summary>
    public INeighbourListStore Store(string backend) => backend == "redis"
        ? new RedisNeighbourListStore(Connection, Options.Create(new RedisStoreOptions { KeyPrefix = $"cf{Guid.NewGuid():N}:" }))
        : new InMemoryNeighbourListStore(TimeProvider.System);

    public void Dispose()
    {
        Connection.Dispose();
        _redis.Dispose();
        _directory.Dispose();
    }
}
