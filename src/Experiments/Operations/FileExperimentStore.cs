using System.Text.Json;
using Microsoft.Extensions.Options;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// The file backend of <see cref="IExperimentStore"/>: one JSON file (<see cref="ExperimentStoreOptions.Path"/>) with
/// the version, the configuration and the audit trail. A write takes a lock file beside it (so replicas and the CLI
/// on one machine or share write one at a time), checks the version, writes a temporary file and renames it over
/// the old one, so a reader sees the old file or the new one, never half of one.
/// </summary>
internal sealed class FileExperimentStore(IOptions<ExperimentStoreOptions> options) : IExperimentStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ExperimentStoreOptions _options = options.Value;

    /// <summary>The store file's full path.</summary>
    public string FilePath => Path.GetFullPath(_options.Path);

    public async ValueTask<StoredExperiments?> ReadAsync(CancellationToken cancellationToken)
    {
        var file = await ReadFileAsync(cancellationToken).ConfigureAwait(false);
        return file is null ? null : new StoredExperiments(file.Version, file.Configuration);
    }

    public async ValueTask<IReadOnlyList<ExperimentAuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) =>
        (await ReadFileAsync(cancellationToken).ConfigureAwait(false))?.Audit ?? [];

    public async ValueTask<StoredExperiments> WriteAsync(ExperimentsOptions configuration, long expectedVersion, ExperimentAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(entry);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var path = FilePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var fileLock = await AcquireLockAsync(path + ".lock", cancellationToken).ConfigureAwait(false);
            var current = await ReadFileAsync(cancellationToken).ConfigureAwait(false);
            var version = current?.Version ?? 0;
            if (version != expectedVersion)
            {
                throw new ExperimentOperationException(
                    ExperimentOperationError.VersionConflict,
                    $"The experiment store is at version {version}, not the expected version {expectedVersion}; another change came first. Read it again and retry.");
            }

            var audit = current?.Audit ?? [];
            audit.Add(entry with { Version = version + 1 });
            if (audit.Count > _options.MaxAuditEntries)
            {
                audit.RemoveRange(0, audit.Count - _options.MaxAuditEntries);
            }

            var next = new StoreFile { Version = version + 1, Configuration = configuration, Audit = audit };
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    await JsonSerializer.SerializeAsync(stream, next, ExperimentsJson.Options, CancellationToken.None).ConfigureAwait(false);
                }

                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            return new StoredExperiments(next.Version, next.Configuration);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<StoreFile?> ReadFileAsync(CancellationToken cancellationToken)
    {
        var path = FilePath;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var file = await JsonSerializer.DeserializeAsync<StoreFile>(stream, ExperimentsJson.Options, cancellationToken).ConfigureAwait(false);
            if (file?.Configuration is null || file.Version < 1)
            {
                throw new InvalidDataException($"The experiment store {Path.GetFileName(path)} has no configuration or no version >= 1.");
            }

            return file;
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
            throw new InvalidDataException($"The experiment store {Path.GetFileName(path)} does not parse: {ex.Message}", ex);
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

    private sealed class StoreFile
    {
        public long Version { get; set; }

        public ExperimentsOptions Configuration { get; set; } = null!;

        public List<ExperimentAuditEntry> Audit { get; set; } = [];
    }
}
