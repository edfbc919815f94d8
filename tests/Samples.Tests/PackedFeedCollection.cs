namespace RecFramework.Samples.Tests;

/// <summary>The tests that consume the packed packages: one pack per run, the tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeedFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packed feed";
}
