using System.Text.Json;

namespace RecFramework.Stores.Contracts;

/// <summary>
/// What every <see cref="IVersionedDocumentStore"/> backend must do: versions from 1, compare-and-swap writes (of
/// concurrent writers from one version exactly one wins), the audit trail kept in order and bounded, a change seen by
/// another instance (replica) on the same document, and malformed arguments refused.
/// </summary>
public abstract class VersionedDocumentStoreContract
{
    /// <summary>
    /// <paramref name="count"/> independent instances (as separate replicas would open) on one fresh document that no
    /// other test uses, each keeping <paramref name="maxAuditEntries"/> audit entries.
    /// </summary>
    protected abstract Task<IVersionedDocumentStore[]> CreateStoresAsync(int count, int maxAuditEntries = 1000);

    private static string Doc(string value) => JsonSerializer.Serialize(new { Value = value, Nested = new { List = new[] { 1, 2 } } });

    private static string Entry(string operation) => JsonSerializer.Serialize(new { Operation = operation });

    private static string ValueOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("Value").GetString()!;

    private static string OperationOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("Operation").GetString()!;

    [Fact]
    public async Task AnEmptyStoreReadsNothingAndEachWriteIsTheNextVersion()
    {
        var store = (await CreateStoresAsync(1))[0];
        Assert.Null(await store.ReadAsync());
        Assert.Equal(0, await store.ReadVersionAsync());
        Assert.Empty(await store.ReadAuditAsync());

        Assert.Equal(new VersionedWriteResult(true, 1), await store.TryWriteAsync(0, Doc("one"), Entry("first")));
        Assert.Equal(new VersionedWriteResult(true, 2), await store.TryWriteAsync(1, Doc("two"), Entry("second")));

        var read = await store.ReadAsync();
        Assert.Equal(2, read!.Version);
        Assert.Equal("two", ValueOf(read.Json));
        Assert.Equal([1, 2], JsonDocument.Parse(read.Json).RootElement.GetProperty("Nested").GetProperty("List").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, await store.ReadVersionAsync());
        Assert.Equal(["first", "second"], (await store.ReadAuditAsync()).Select(OperationOf));
    }

    [Fact]
    public async Task AWriteFromAnOlderVersionIsRefusedAndChangesNothing()
    {
        var store = (await CreateStoresAsync(1))[0];
        await store.TryWriteAsync(0, Doc("one"), Entry("first"));

        Assert.Equal(new VersionedWriteResult(false, 1), await store.TryWriteAsync(0, Doc("late"), Entry("late")));
        Assert.Equal(new VersionedWriteResult(false, 1), await store.TryWriteAsync(5, Doc("ahead"), Entry("ahead")));

        Assert.Equal("one", ValueOf((await store.ReadAsync())!.Json));
        Assert.Equal(["first"], (await store.ReadAuditAsync()).Select(OperationOf));
    }

    [Fact]
    public async Task OfConcurrentWritersFromOneVersionExactlyOneWinsEachRound()
    {
        // Eight instances (as eight replicas or CLI runs) race from the same version, ten rounds in a row.
        var stores = await CreateStoresAsync(8);
        for (var round = 0; round < 10; round++)
        {
            using var go = new ManualResetEventSlim();
            var writes = stores.Select((s, i) => Task.Run(async () =>
            {
                go.Wait();
                return (await s.TryWriteAsync(round, Doc($"r{round}w{i}"), Entry($"r{round}w{i}"))).Written;
            })).ToArray();
            go.Set();
            var won = await Task.WhenAll(writes);

            Assert.Single(won, w => w);
            var stored = await stores[round % 8].ReadAsync();
            Assert.Equal(round + 1, stored!.Version);
            Assert.Equal($"r{round}w{Array.IndexOf(won, true)}", ValueOf(stored.Json));
        }

        var audit = (await stores[0].ReadAuditAsync()).Select(OperationOf).ToArray();
        Assert.Equal(10, audit.Length);
        Assert.All(audit.Select((op, round) => (op, round)), e => Assert.StartsWith($"r{e.round}w", e.op, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAuditKeepsOnlyTheNewestEntries()
    {
        var store = (await CreateStoresAsync(1, maxAuditEntries: 2))[0];
        for (var v = 0; v < 4; v++)
        {
            Assert.True((await store.TryWriteAsync(v, Doc("d" + v), Entry("op" + v))).Written);
        }

        Assert.Equal(["op2", "op3"], (await store.ReadAuditAsync()).Select(OperationOf));
        Assert.Equal(4, await store.ReadVersionAsync());
    }

    [Fact]
    public async Task AnotherInstanceSeesAChange()
    {
        var stores = await CreateStoresAsync(2);
        Assert.Equal(0, await stores[1].ReadVersionAsync());

        await stores[0].TryWriteAsync(0, Doc("from-a"), Entry("a"));
        Assert.Equal(1, await stores[1].ReadVersionAsync());
        Assert.Equal("from-a", ValueOf((await stores[1].ReadAsync())!.Json));

        await stores[1].TryWriteAsync(1, Doc("from-b"), Entry("b"));
        Assert.Equal((2L, "from-b"), await stores[0].ReadAsync() is { } d ? (d.Version, ValueOf(d.Json)) : default);
        Assert.Equal(["a", "b"], (await stores[0].ReadAuditAsync()).Select(OperationOf));
    }

    [Fact]
    public async Task MalformedArgumentsAreRefusedBeforeAnythingIsWritten()
    {
        var store = (await CreateStoresAsync(1))[0];

        var notJson = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryWriteAsync(0, "{ \"Value\": ", Entry("x")));
        Assert.Equal("json", notJson.ParamName);
        var emptyEntry = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryWriteAsync(0, Doc("x"), " "));
        Assert.Equal("auditEntryJson", emptyEntry.ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryWriteAsync(-1, Doc("x"), Entry("x")));

        Assert.Null(await store.ReadAsync());
        Assert.Empty(await store.ReadAuditAsync());
    }
}
