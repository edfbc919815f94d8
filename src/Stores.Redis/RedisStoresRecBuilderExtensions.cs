using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>DI entry point of the Redis store backends.</summary>
public static class RedisStoresRecBuilderExtensions
{
    /// <summary>
    /// When <c>RecFramework:Stores:Backend</c> is <c>redis</c>, replaces the in-process history, popularity,
    /// profile, neighbour-list and user-vector stores and the SQLite event log with their Redis implementations, all on one shared
    /// <see cref="IConnectionMultiplexer"/> built from <c>RecFramework:Stores:Redis</c> (an
    /// <see cref="IConnectionMultiplexer"/> registered before this call is used instead). Does nothing for any other
    /// backend, so a host can always call it. Safe to call more than once.
    /// </summary>
    public static IRecBuilder AddRedisStores(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var backend = builder.Configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.Backend)}"];
        if (!string.Equals(backend, StoreOptions.RedisBackend, StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }

        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RedisStoresMarker)))
        {
            return builder;
        }

        services.AddSingleton<RedisStoresMarker>();
        services.AddOptions<StoreOptions>().Validate(
            o => !string.IsNullOrWhiteSpace(o.Redis),
            "RecFramework:Stores:Redis must hold a Redis configuration string when RecFramework:Stores:Backend is 'redis'.");
        services.TryAddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<StoreOptions>>().Value.Redis));
        services.RemoveAll<IUserHistoryStore>();
        services.RemoveAll<IItemPopularityStore>();
        services.RemoveAll<IUserProfileStore>();
        services.RemoveAll<IEventStore>();
        services.RemoveAll<INeighbourListStore>();
        services.RemoveAll<IUserEmbeddingStore>();
        services.AddSingleton<IUserHistoryStore, RedisUserHistoryStore>();
        services.AddSingleton<IItemPopularityStore, RedisItemPopularityStore>();
        services.AddSingleton<IUserProfileStore, RedisUserProfileStore>();
        services.AddSingleton<IEventStore, RedisEventStore>();
        services.AddSingleton<INeighbourListStore, RedisNeighbourListStore>();
        services.AddSingleton<IUserEmbeddingStore, RedisUserEmbeddingStore>();
        return builder;
    }

    private static ConnectionMultiplexer Connect(string configuration)
    {
        try
        {
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException ex)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, $"Cannot connect to Redis at '{RedactPassword(configuration)}' (RecFramework:Stores:Redis): {ex.Message}", ex);
        }
    }

    private static string RedactPassword(string configuration) =>
        string.Join(',', configuration.Split(',').Select(part => part.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : part));

    private sealed class RedisStoresMarker;
}
