namespace RecFramework.Stores;

/// <summary>
/// Opens named <see cref="IVersionedDocumentStore"/>s on a shared backend (Redis: <c>AddRedisStores</c> registers
/// one), so a module that needs a shared document (the experiment store) can use whichever backend the application
/// selected without referencing it.
/// </summary>
public interface IVersionedDocumentStoreFactory
{
    /// <summary>The backend's name, for messages (e.g. <c>Redis</c>).</summary>
    string Backend { get; }

    /// <summary>The store of document <paramref name="name"/> (lower-kebab, e.g. <c>experiments</c>).</summary>
    /// <param name="name">The document's name; the same name opens the same document from every replica.</param>
    /// <param name="maxAuditEntries">Audit entries kept (the oldest are dropped first), at least 1.</param>
    IVersionedDocumentStore Open(string name, int maxAuditEntries);
}
