using System.Text.Json;
using RecFramework.Experiments.Operations;
using RecFramework.Stores;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary>The store's version with its audit trail: read, printed and written as JSON (what <c>experiments audit</c> shows).</summary>
public sealed class ExperimentAuditTrailTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-audit-trail-" + Guid.NewGuid().ToString("N"));

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

    private static ExperimentAuditEntry Entry(string operation, long minute) =>
        new(0, DateTimeOffset.UnixEpoch.AddMinutes(minute), operation, "holdout", "cli:test", "salt=" + operation, "a", "b", null, null);

    private static ExperimentsOptions Config(string salt) => new() { Holdout = new HoldoutOptions { Share = 0.1, Salt = salt } };

    [Fact]
    public async Task AnEmptyStoreIsVersionZeroWithNoEntries()
    {
        var store = new VersionedExperimentStore(new FileVersionedDocumentStore(Path.Combine(_dir, "experiments.json"), 100));

        var trail = await ExperimentAuditTrail.ReadAsync(store);

        Assert.Equal(0, trail.StoreVersion);
        Assert.Empty(trail.Entries);
        Assert.Equal(["store version 0, 0 audit entries"], trail.Describe());
    }

    [Fact]
    public async Task TheTrailNamesTheVersionAndEveryChangeOldestFirstAndWritesItAsJson()
    {
        var store = new VersionedExperimentStore(new FileVersionedDocumentStore(Path.Combine(_dir, "experiments.json"), 100));
        await store.WriteAsync(Config("s1"), 0, Entry("create", 1), default);
        await store.WriteAsync(Config("s2"), 1, Entry("rotate-holdout", 2), default);

        var trail = await ExperimentAuditTrail.ReadAsync(store);
        var json = Path.Combine(_dir, "out", "audit.json");
        await trail.WriteJsonAsync(json);

        Assert.Equal(2, trail.StoreVersion);
        Assert.Equal(
            [
                "store version 2, 2 audit entries",
                "  v1 1970-01-01 00:01:00Z create holdout by cli:test salt=create (a -> b)",
                "  v2 1970-01-01 00:02:00Z rotate-holdout holdout by cli:test salt=rotate-holdout (a -> b)",
            ],
            trail.Describe());
        var root = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal(2, root.GetProperty("storeVersion").GetInt64());
        Assert.Equal(["create", "rotate-holdout"], root.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("operation").GetString()));
    }

    [Fact]
    public async Task AnOperationResultIsWrittenAsCamelCaseJson()
    {
        var result = new ExperimentOperationResult("stop", "exp-a", DryRun: true, 4, "9c1b", new ExperimentChangeImpact(10, 5, 5, 0, 0, [new VariantTransition("recall", "exp-a/control", "default", 5)]));
        var json = Path.Combine(_dir, "nested", "result.json");

        await result.WriteJsonAsync(json);

        var root = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.True(root.GetProperty("dryRun").GetBoolean());
        Assert.Equal(4, root.GetProperty("storeVersion").GetInt64());
        Assert.Equal(5, root.GetProperty("impact").GetProperty("transitions")[0].GetProperty("users").GetInt32());
    }
}
