namespace RecFramework.Stores.Redis.Tests;

/// <summary>Every Redis test class shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
