using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

/// <summary>The file backend passes the versioned-document contract; plus what only a file does (atomic replace, a parse error named).</summary>
public sealed class FileVersionedDocumentStoreContractTests : VersionedDocumentStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-docstore-" + Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(_dir, "sub", "doc.json");

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

    protected override Task<IVersionedDocumentStore[]> CreateStoresAsync(int count, int maxAuditEntries = 1000) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => (IVersionedDocumentStore)new FileVersionedDocumentStore(FilePath, maxAuditEntries)).ToArray());

    [Fact]
    public async Task AWriteLeavesOnlyTheFileAndItsLockFileWithTheDocumentNested()
    {
        var store = new FileVersionedDocumentStore(FilePath, 10);
        await store.TryWriteAsync(0, "{\"Holdout\":{\"Salt\":\"s1\"}}", "{\"Operation\":\"one\"}");

        Assert.Equal(["doc.json", "doc.json.lock"], Directory.GetFiles(Path.Combine(_dir, "sub")).Select(Path.GetFileName).Order());
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        Assert.Equal(1, json.RootElement.GetProperty("Version").GetInt64());
        Assert.Equal("s1", json.RootElement.GetProperty("Document").GetProperty("Holdout").GetProperty("Salt").GetString());
        Assert.Equal("one", json.RootElement.GetProperty("Audit")[0].GetProperty("Operation").GetString());
    }

    [Fact]
    public async Task AFileThatDoesNotParseIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        await File.WriteAllTextAsync(FilePath, "{ \"Version\": 1, ");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await new FileVersionedDocumentStore(FilePath, 10).ReadAsync());

        Assert.Contains("doc.json does not parse", ex.Message, StringComparison.Ordinal);
    }
}
