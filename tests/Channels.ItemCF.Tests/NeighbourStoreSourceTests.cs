using Microsoft.Extensions.Options;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// <see cref="NeighbourSource.Store"/> against the in-process index: same candidates, same scores, for every channel
/// and both store backends; publication happens once per version.
/// </summary>
public sealed class NeighbourStoreSourceTests(NeighbourStoreFixture fixture) : IClassFixture<NeighbourStoreFixture>
{
    public static TheoryData<string, string> ChannelsAndBackends => new()
    {
        { "itemcf", "memory" }, { "swing", "memory" }, { "usercf", "memory" },
        { "itemcf", "redis" }, { "swing", "redis" }, { "usercf", "redis" },
    };

    private static IRecallChannel Channel(string name, NeighbourSource source, INeighbourListStore? store, int timeoutSeconds = 300) => name switch
    {
        "itemcf" => new NeighbourhoodChannel<ItemCFOptions>("itemcf", new ItemCFOptions { NeighbourSource = source, NeighbourPublishTimeoutSeconds = timeoutSeconds }, store),
        "swing" => new NeighbourhoodChannel<SwingOptions>("swing", new SwingOptions { NeighbourSource = source, NeighbourPublishTimeoutSeconds = timeoutSeconds }, store),
        _ => new NeighbourhoodChannel<UserCFOptions>("usercf", new UserCFOptions { NeighbourSource = source, NeighbourPublishTimeoutSeconds = timeoutSeconds }, store),
    };

    private IEnumerable<RecallRequest> Requests()
    {
        var byUser = fixture.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Timestamp).ToArray());
        for (var u = 0; u < fixture.UserIds.Length; u += 7)
        {
            var user = fixture.UserIds[u];
            yield return new RecallRequest { UserId = user, K = 50 };
            if (byUser.TryGetValue(user, out var events))
            {
                yield return new RecallRequest { UserId = user, K = 20, History = events[^Math.Min(events.Length, 30)..], Exclude = new HashSet<long> { events[0].ItemId } };
            }
        }

        yield return new RecallRequest { UserId = fixture.UserIds[3], K = 100, Parameters = new Dictionary<string, string> { ["last_n"] = "2", ["neighbours"] = "5" } };
        yield return new RecallRequest { UserId = -12345, K = 10 };
    }

    [Theory]
    [MemberData(nameof(ChannelsAndBackends))]
    public async Task StoreSourceRecallsExactlyWhatTheArtifactSourceRecalls(string name, string backend)
    {
        var handle = fixture.Artifact(name);
        var fromArtifact = Channel(name, NeighbourSource.Artifact, null);
        var fromStore = Channel(name, NeighbourSource.Store, fixture.Store(backend));
        await ((IArtifactChannel)fromArtifact).ActivateAsync(handle, default);
        await ((IArtifactChannel)fromStore).ActivateAsync(handle, default);

        var compared = 0;
        var nonEmpty = 0;
        foreach (var request in Requests())
        {
            var expected = await fromArtifact.RecallAsync(request, default);
            var actual = await fromStore.RecallAsync(request, default);

            Assert.Equal(expected.Version, actual.Version);
            Assert.Equal(expected.Items, actual.Items);
            compared++;
            nonEmpty += expected.Items.Count > 0 ? 1 : 0;
        }

        Assert.True(compared > 200, $"only {compared} requests compared");
        Assert.True(nonEmpty > compared / 2, $"only {nonEmpty} of {compared} requests recalled anything");
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task OnlyTheFirstReplicaPublishesAVersion(string backend)
    {
        var store = fixture.Store(backend);
        var replicas = Enumerable.Range(0, 3).Select(_ => (NeighbourhoodChannel<ItemCFOptions>)Channel("itemcf", NeighbourSource.Store, store)).ToArray();

        await Task.WhenAll(replicas.Select(r => r.ActivateAsync(fixture.Artifact("itemcf"), default).AsTask()));

        Assert.Equal(1, replicas.Count(r => r.PublishedLastActivation));
        Assert.True(await store.IsPublishedAsync("itemcf", fixture.Artifact("itemcf").Manifest.Version));
        var request = new RecallRequest { UserId = fixture.UserIds[0], K = 10 };
        var first = await replicas[0].RecallAsync(request, default);
        Assert.All(replicas, r => Assert.Equal(first.Items, r.RecallAsync(request, default).AsTask().Result.Items));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task ActivationWaitsForAnotherReplicasPublicationAndGivesUpAfterTheTimeout(string backend)
    {
        var store = fixture.Store(backend);
        var version = fixture.Artifact("swing").Manifest.Version;
        Assert.True(await store.TryClaimAsync("swing", version, "stuck-replica", TimeSpan.FromMinutes(5)));
        var channel = (NeighbourhoodChannel<SwingOptions>)Channel("swing", NeighbourSource.Store, store, timeoutSeconds: 1);

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(async () => await channel.ActivateAsync(fixture.Artifact("swing"), default));

        Assert.Equal(RecError.ChannelNotReady, ex.Error);
        Assert.Contains("NeighbourPublishTimeoutSeconds", ex.Message, StringComparison.Ordinal);
        Assert.Null(channel.ActiveVersion);
        Assert.False(await store.IsPublishedAsync("swing", version));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task AFailedPublicationReleasesItsClaimSoAnotherReplicaPublishesAtOnce(string backend)
    {
        var store = fixture.Store(backend);
        var failing = Channel("usercf", NeighbourSource.Store, new FailingPublisher(store));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await ((IArtifactChannel)failing).ActivateAsync(fixture.Artifact("usercf"), default));
        Assert.Equal("publication failed", ex.Message);
        Assert.False(await store.IsPublishedAsync("usercf", fixture.Artifact("usercf").Manifest.Version));

        var next = (NeighbourhoodChannel<UserCFOptions>)Channel("usercf", NeighbourSource.Store, store, timeoutSeconds: 5);
        var activation = next.ActivateAsync(fixture.Artifact("usercf"), default).AsTask();

        await activation.WaitAsync(TimeSpan.FromSeconds(4));
        Assert.True(next.PublishedLastActivation);
    }

    [Fact]
    public async Task StoreSourceStopsServingAVersionWhoseMarkerIsGone()
    {
        var prefix = $"cf{Guid.NewGuid():N}:";
        var store = new RecFramework.Stores.Redis.RedisNeighbourListStore(fixture.Connection, Options.Create(new RecFramework.Stores.Redis.RedisStoreOptions { KeyPrefix = prefix }));
        var channel = Channel("itemcf", NeighbourSource.Store, store);
        await ((IArtifactChannel)channel).ActivateAsync(fixture.Artifact("itemcf"), default);
        var request = new RecallRequest { UserId = fixture.UserIds[0], K = 5 };
        Assert.NotEmpty((await channel.RecallAsync(request, default)).Items);

        await fixture.Connection.GetDatabase().KeyDeleteAsync($"{prefix}nb:itemcf:{fixture.Artifact("itemcf").Manifest.Version}:ready");

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(async () => await channel.RecallAsync(request, default));
        Assert.Equal(RecError.ChannelNotReady, ex.Error);
        Assert.Contains("not published", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreSourceWithoutAStoreFailsNamingTheOption()
    {
        var ex = Assert.Throws<RecFrameworkException>(() => Channel("usercf", NeighbourSource.Store, null));

        Assert.Equal(RecError.InvalidConfiguration, ex.Error);
        Assert.Contains("NeighbourSource", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FailingPublisher(INeighbourListStore inner) : INeighbourListStore
    {
        public ValueTask<bool> IsPublishedAsync(string channel, string version, CancellationToken cancellationToken = default) => inner.IsPublishedAsync(channel, version, cancellationToken);

        public ValueTask<bool> TryClaimAsync(string channel, string version, string owner, TimeSpan lease, CancellationToken cancellationToken = default) => inner.TryClaimAsync(channel, version, owner, lease, cancellationToken);

        public ValueTask ReleaseClaimAsync(string channel, string version, string owner, CancellationToken cancellationToken = default) => inner.ReleaseClaimAsync(channel, version, owner, cancellationToken);

        public ValueTask PublishAsync(string channel, string version, IEnumerable<KeyValuePair<long, NeighbourList>> lists, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new InvalidOperationException("publication failed"));

        public ValueTask<NeighbourList?[]?> GetAsync(string channel, string version, IReadOnlyList<long> ids, CancellationToken cancellationToken = default) => inner.GetAsync(channel, version, ids, cancellationToken);
    }
}
