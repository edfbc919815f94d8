namespace RecFramework.Stores;

/// <summary>
/// One small JSON document shared by every replica, kept with a version and a bounded audit trail (the experiment
/// configuration is one). A write names the version it was computed from and succeeds only while the store is still at
/// that version (compare-and-swap), so of two writers starting from one version exactly one wins; the document, its new
/// version and the audit entry are written together or not at all. Replicas notice a change by polling
/// <see cref="ReadVersionAsync"/>, which is cheap. Backends: <see cref="FileVersionedDocumentStore"/> (a JSON file) and
/// Redis (<c>AddRedisStores</c> registers an <see cref="IVersionedDocumentStoreFactory"/>); every backend passes one
/// contract test suite.
/// </summary>
public interface IVersionedDocumentStore
{
    /// <summary>The document and its version, or null while nothing was ever written.</summary>
    ValueTask<VersionedDocument?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>The current version (0 while nothing was ever written), without reading the document.</summary>
    ValueTask<long> ReadVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="json"/> as version <paramref name="expectedVersion"/> + 1 and appends
    /// <paramref name="auditEntryJson"/> to the audit trail (dropping the oldest entries beyond the store's bound),
    /// atomically, when the store is at <paramref name="expectedVersion"/>; otherwise writes nothing.
    /// </summary>
    /// <param name="expectedVersion">The version the change was computed from (0 for the first write).</param>
    /// <param name="json">The new document: one JSON value.</param>
    /// <param name="auditEntryJson">The change's audit entry: one JSON value.</param>
    /// <param name="cancellationToken">Cancels the write before it happens.</param>
    /// <returns>Whether it was written, and the store's version now (the new one, or the one that refused it).</returns>
    /// <exception cref="ArgumentException">A JSON argument is empty or not one JSON value, or <paramref name="expectedVersion"/> is negative.</exception>
    ValueTask<VersionedWriteResult> TryWriteAsync(long expectedVersion, string json, string auditEntryJson, CancellationToken cancellationToken = default);

    /// <summary>The audit trail, oldest first (at most the store's bound).</summary>
    ValueTask<IReadOnlyList<string>> ReadAuditAsync(CancellationToken cancellationToken = default);
}
