using System.Text.Json;
using RecFramework.Experiments.Operations;
using RecFramework.Stores;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary>
/// The experiment store over the file backend: configurations and audit entries round-trip, versions, optimistic
/// concurrency across instances as <see cref="ExperimentOperationError.VersionConflict"/>, the audit cap. (The backends
/// themselves pass one contract suite: Stores.Contracts/VersionedDocumentStoreContract.)
/// </summary>
public sealed class VersionedExperimentStoreTests : IDisposable
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

    private VersionedExperimentStore Store(int maxAudit = 1000) =>
        new(new FileVersionedDocumentStore(Path.Combine(_dir, "sub", "experiments.json"), maxAudit));

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
        Assert.Equal(2, await store.ReadVersionAsync(default));
        var audit = await store.ReadAuditAsync(default);
        Assert.Equal([1L, 2], audit.Select(e => e.Version));
        Assert.Equal(["one", "two"], audit.Select(e => e.Operation));
        Assert.Equal("two", audit[1].After!.Value.GetProperty("Salt").GetString());
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
