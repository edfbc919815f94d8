namespace RecFramework.Experiments.Operations;

/// <summary>
/// Holds the experiment configuration outside the application's settings, versioned with an audit trail. Every
/// write names the version it was computed from; a store whose version moved on refuses it
/// (<see cref="ExperimentOperationError.VersionConflict"/>), so two concurrent operations never overwrite each other.
/// The built-in store keeps it in a <see cref="RecFramework.Stores.IVersionedDocumentStore"/> (a file, or Redis:
/// <see cref="ExperimentStoreOptions.Backend"/>).
/// </summary>
public interface IExperimentStore
{
    /// <summary>The stored configuration and its version, or null while nothing was ever written.</summary>
    ValueTask<StoredExperiments?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The stored version (0 while nothing was ever written), without reading the configuration: what replicas poll.</summary>
    ValueTask<long> ReadVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="configuration"/> as version <paramref name="expectedVersion"/> + 1 and appends
    /// <paramref name="entry"/> (stamped with that version) to the audit trail, atomically.
    /// </summary>
    /// <param name="configuration">The validated configuration.</param>
    /// <param name="expectedVersion">The version the change was computed from (0 when the store was empty).</param>
    /// <param name="entry">The audit entry of the change.</param>
    /// <param name="cancellationToken">Cancels the write before it happens.</param>
    /// <returns>What is stored now.</returns>
    /// <exception cref="ExperimentOperationException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    ValueTask<StoredExperiments> WriteAsync(ExperimentsOptions configuration, long expectedVersion, ExperimentAuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The audit trail, oldest first.</summary>
    ValueTask<IReadOnlyList<ExperimentAuditEntry>> ReadAuditAsync(CancellationToken cancellationToken);
}
