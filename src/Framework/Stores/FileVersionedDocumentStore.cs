using System.Text.Json;

namespace RecFramework.Stores;

/// <summary>
/// The file backend of <see cref="IVersionedDocumentStore"/>: one JSON file <c>{"Version": n, "Document": …, "Audit":
/// […]}</c>. A write takes a lock file beside it (so writers from several processes on one machine or share go one at
/// a time), checks the version, writes a temporary file and renames it over the old one, so a reader sees the old file
/// or the new one, never half of one.
/// </summary>
public sealed class FileVersionedDocumentStore : IVersionedDocumentStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly int _maxAuditEntries;

    /// <summary>A store in the file <paramref name="path"/> (created with its folder on the first write).</summary>
    /// <param name="path">The JSON file (relative paths resolve against the working directory).</param>
    /// <param name="maxAuditEntries">Audit entries kept (the oldest are dropped first), at least 1.</param>
    public FileVersionedDocumentStore(string path, int maxAuditEntries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAuditEntries);
        FilePath = Path.GetFullPath(path);
        _maxAuditEntries = maxAuditEntries;
    }

    /// <summary>The store file's full path.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public async ValueTask<VersionedDocument?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var file = await ReadFileAsync(cancellationToken).ConfigureAwait(false);
        return file is null ? null : new VersionedDocument(file.Version, file.Document);
    }

    /// <inheritdoc/>
    public async ValueTask<long> ReadVersionAsync(CancellationToken cancellationToken = default) =>
        (await ReadFileAsync(cancellationToken).ConfigureAwait(false))?.Version ?? 0;

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> ReadAuditAsync(CancellationToken cancellationToken = default) =>
        (await ReadFileAsync(cancellationToken).ConfigureAwait(false))?.Audit ?? [];

    /// <inheritdoc/>
    public async ValueTask<VersionedWriteResult> TryWriteAsync(long expectedVersion, string json, string auditEntryJson, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        JsonValue.ThrowIfNotOne(json);
        JsonValue.ThrowIfNotOne(auditEntryJson);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            await using var fileLock = await AcquireLockAsync(FilePath + ".lock", cancellationToken).ConfigureAwait(false);
            var current = await ReadFileAsync(cancellationToken).ConfigureAwait(false);
            var version = current?.Version ?? 0;
            if (version != expectedVersion)
            {
                return new VersionedWriteResult(false, version);
            }

            var audit = current?.Audit ?? [];
            audit.Add(auditEntryJson);
            if (audit.Count > _maxAuditEntries)
            {
                audit.RemoveRange(0, audit.Count - _maxAuditEntries);
            }

            var temp = $"{FilePath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    await using var writer = new Utf8JsonWriter(stream, WriterOptions);
                    writer.WriteStartObject();
                    writer.WriteNumber("Version", version + 1);
                    writer.WritePropertyName("Document");
                    writer.WriteRawValue(json);
                    writer.WriteStartArray("Audit");
                    foreach (var entry in audit)
                    {
                        writer.WriteRawValue(entry);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                File.Move(temp, FilePath, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            return new VersionedWriteResult(true, version + 1);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<StoreFile?> ReadFileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var json = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("Version", out var version) || !version.TryGetInt64(out var number) || number < 1
                || !root.TryGetProperty("Document", out var document))
            {
                throw new InvalidDataException($"The document store {Path.GetFileName(FilePath)} has no Document or no Version >= 1.");
            }

            var audit = root.TryGetProperty("Audit", out var entries) && entries.ValueKind == JsonValueKind.Array
                ? entries.EnumerateArray().Select(e => e.GetRawText()).ToList()
                : [];
            return new StoreFile(number, document.GetRawText(), audit);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The document store {Path.GetFileName(FilePath)} does not parse: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// An exclusive handle on the lock file, retried while another writer holds it. The file is left in place: deleting
    /// it on close would let a waiter lock the deleted file while a newcomer locks a new one.
    /// </summary>
    private static async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record StoreFile(long Version, string Document, List<string> Audit);
}
