using System.Text.Json;
using Microsoft.Extensions.Options;
using RecFramework.Experiments.Operations;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary>The file store: versions, optimistic concurrency across instances, atomic replacement, the audit cap.</summary>
public sealed class FileExperimentStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-expstore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private FileExperimentStore Store(int maxAudit = 1000) =>
        new(Options.Create(new ExperimentStoreOptions { Path = Path.Combine(_dir, "sub", "experiments.json"), MaxAuditEntries = maxAudit }));

    private static ExperimentAuditEntry Entry(string operation) =>
        new(0, DateTimeOffset.UnixEpoch, operation, "holdout", "cli:test", "", "a", "b", null, JsonSerializer.SerializeToElement(new { Salt = operation }));

    private static ExperimentsOptions Config(string salt) => new() { Holdout = new HoldoutOptions { Share = 0.1, Salt = salt } };

    [Fact]
    public async Task AnEmptyStoreReadsNullAndEachWriteIsTheNextVersion()
    {
        var store = Store();
        Assert.Null(await store.ReadAsync(default));
        Assert.Empty(await store.ReadAuditAsync(default));

        var first = await store.WriteAsync(Config("s1"), 0, Entry("one"), default);
        var second = await store.WriteAsync(Config("s2"), 1, Entry("two"), default);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var read = await Store().ReadAsync(default);
        Assert.Equal(2, read!.Version);
        Assert.Equal("s2", read.Configuration.Holdout.Salt);
        Assert.Equal([1L, 2], (await store.ReadAuditAsync(default)).Select(e => e.Version));
        Assert.Equal(["experiments.json", "experiments.json.lock"], Directory.GetFiles(Path.Combine(_dir, "sub")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AWriteFromAnOlderVersionIsRefused()
    {
        var store = Store();
        await store.WriteAsync(Config("s1"), 0, Entry("one"), default);

        var ex = await Assert.ThrowsAsync<ExperimentOperationException>(async () => await store.WriteAsync(Config("s2"), 0, Entry("two"), default));

        Assert.Equal(ExperimentOperationError.VersionConflict, ex.Error);
        Assert.Contains("version 1, not the expected version 0", ex.Message, StringComparison.Ordinal);
        Assert.Equal("s1", (await store.ReadAsync(default))!.Configuration.Holdout.Salt);
    }

    [Fact]
    public async Task OfConcurrentWritesFromTheSameVersionExactlyOneWins()
    {
        // Eight store instances (as eight replicas or CLI runs) race from the same version, ten rounds in a row.
        var stores = Enumerable.Range(0, 8).Select(_ => Store()).ToArray();
        for (var round = 0; round < 10; round++)
        {
            using var go = new ManualResetEventSlim();
            var writes = stores.Select((s, i) => Task.Run(async () =>
            {
                go.Wait();
                try
                {
                    await s.WriteAsync(Config($"r{round}s{i}"), round, Entry($"r{round}w{i}"), default);
                    return true;
                }
                catch (ExperimentOperationException ex) when (ex.Error == ExperimentOperationError.VersionConflict)
                {
                    return false;
                }
            })).ToArray();
            go.Set();
            var won = await Task.WhenAll(writes);

            Assert.Single(won, w => w);
            var stored = await Store().ReadAsync(default);
            Assert.Equal(round + 1, stored!.Version);
            Assert.Equal($"r{round}s{Array.IndexOf(won, true)}", stored.Configuration.Holdout.Salt);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), (await Store().ReadAuditAsync(default)).Select(e => e.Version));
    }

    [Fact]
    public async Task TheAuditKeepsTheNewestEntries()
    {
        var store = Store(maxAudit: 2);
        for (var v = 0; v < 4; v++)
        {
            await store.WriteAsync(Config("s" + v), v, Entry("op" + v), default);
        }

        Assert.Equal(["op2", "op3"], (await store.ReadAuditAsync(default)).Select(e => e.Operation));
    }

    [Fact]
    public async Task AFileThatDoesNotParseIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "sub", "experiments.json"), "{ \"Version\": 1, ");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await Store().ReadAsync(default));

        Assert.Contains("experiments.json does not parse", ex.Message, StringComparison.Ordinal);
    }
}
