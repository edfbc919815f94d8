namespace RecFramework.Stores;

/// <summary>A document held by an <see cref="IVersionedDocumentStore"/>.</summary>
/// <param name="Version">1 for the first write, one more for every write after it.</param>
/// <param name="Json">The document (one JSON value).</param>
public sealed record VersionedDocument(long Version, string Json);
