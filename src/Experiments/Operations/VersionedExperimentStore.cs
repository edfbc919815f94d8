using System.Text.Json;
using RecFramework.Stores;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// <see cref="IExperimentStore"/> over a shared versioned document (<see cref="IVersionedDocumentStore"/>): the file
/// backend (<see cref="FileVersionedDocumentStore"/> at <see cref="ExperimentStoreOptions.Path"/>) or Redis (document
/// <see cref="DocumentName"/>). The configuration is stored in the appsettings shape (PascalCase, statuses by name),
/// each audit entry as JSON; the backend's compare-and-swap turns a lost race into
/// <see cref="ExperimentOperationError.VersionConflict"/>.
/// </summary>
internal sealed class VersionedExperimentStore(IVersionedDocumentStore documents) : IExperimentStore
{
    /// <summary>The document's name on a shared backend.</summary>
    public const string DocumentName = "experiments";

    /// <summary>The backend (for tests and messages).</summary>
    public IVersionedDocumentStore Documents { get; } = documents;

    public async ValueTask<StoredExperiments?> ReadAsync(CancellationToken cancellationToken)
    {
        var document = await Documents.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var configuration = Deserialize<ExperimentsOptions>(document.Json, "configuration");
        return new StoredExperiments(document.Version, configuration);
    }

    public ValueTask<long> ReadVersionAsync(CancellationToken cancellationToken) => Documents.ReadVersionAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<ExperimentAuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) =>
        [.. (await Documents.ReadAuditAsync(cancellationToken).ConfigureAwait(false)).Select(json => Deserialize<ExperimentAuditEntry>(json, "audit entry"))];

    public async ValueTask<StoredExperiments> WriteAsync(ExperimentsOptions configuration, long expectedVersion, ExperimentAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(entry);
        var json = JsonSerializer.Serialize(configuration, ExperimentsJson.Options);
        var audit = JsonSerializer.Serialize(entry with { Version = expectedVersion + 1 }, ExperimentsJson.Compact);
        var result = await Documents.TryWriteAsync(expectedVersion, json, audit, cancellationToken).ConfigureAwait(false);
        if (!result.Written)
        {
            throw new ExperimentOperationException(
                ExperimentOperationError.VersionConflict,
                $"The experiment store is at version {result.Version}, not the expected version {expectedVersion}; another change came first. Read it again and retry.");
        }

        return new StoredExperiments(result.Version, configuration);
    }

    private T Deserialize<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ExperimentsJson.Options)
                ?? throw new InvalidDataException($"The experiment store ({Documents}) holds a null {what}.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The experiment store ({Documents}) holds a {what} that does not parse: {ex.Message}", ex);
        }
    }
}
