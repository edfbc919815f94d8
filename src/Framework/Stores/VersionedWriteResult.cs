namespace RecFramework.Stores;

/// <summary>The outcome of <see cref="IVersionedDocumentStore.TryWriteAsync"/>.</summary>
/// <param name="Written">True when the write happened; false when the store was not at the expected version.</param>
/// <param name="Version">The store's version: the new one when written, else the one found (which refused the write).</param>
public sealed record VersionedWriteResult(bool Written, long Version);
