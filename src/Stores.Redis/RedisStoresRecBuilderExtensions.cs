using Microsoft.Extensions.Configuration;
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
    /// Selects Redis for the online stores, configured from the section <c>RecFramework:Stores:Redis</c>
    /// (<see cref="RedisStoreOptions"/>, validated at start): replaces the in-process history, dislike, popularity, profile,
    /// neighbour-list and user-vector stores and the SQLite event log with their Redis implementations, and registers the
    /// shared versioned documents (<see cref="IVersionedDocumentStoreFactory"/>, which the experiment store uses when its
    /// backend is Redis), all on one
    /// shared <see cref="IConnectionMultiplexer"/> (an <see cref="IConnectionMultiplexer"/> registered before this call
    /// is used instead). Safe to call more than once.
    /// </summary>
    public static IRecBuilder AddRedisStores(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var marker = AddStores(builder.Services);
        if (!marker.SectionBound)
        {
            marker.SectionBound = true;
            builder.Services.AddOptions<RedisStoreOptions>().BindConfiguration(RedisStoreOptions.Section);
        }

        return builder;
    }

    /// <summary>
    /// Selects Redis for the online stores, configured in code (the section <c>RecFramework:Stores:Redis</c> is not
    /// read unless <see cref="AddRedisStores(IRecBuilder)"/> is called too; then both apply, in call order). Otherwise
    /// as <see cref="AddRedisStores(IRecBuilder)"/>. Each call adds <paramref name="configure"/>.
    /// </summary>
    public static IRecBuilder AddRedisStores(this IRecBuilder builder, Action<RedisStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddStores(builder.Services);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Selects Redis as <see cref="AddRedisStores(IRecBuilder)"/> does when the builder's configuration gives a Redis
    /// connection (<see cref="IsConfigured"/>); otherwise keeps the in-process stores and the SQLite event log. So one
    /// key, <c>RecFramework:Stores:Redis:Configuration</c>, switches a deployment between the two (the RecFramework Host
    /// composes this way).
    /// </summary>
    public static IRecBuilder AddRedisStoresWhenConfigured(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return IsConfigured(builder.Configuration) ? builder.AddRedisStores() : builder;
    }

    /// <summary>True when <paramref name="configuration"/> gives a Redis connection: a non-blank <c>RecFramework:Stores:Redis:Configuration</c>.</summary>
    /// <param name="configuration">The application's configuration.</param>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{RedisStoreOptions.Section}:{nameof(RedisStoreOptions.Configuration)}"]);
    }

    private static RedisStoresMarker AddStores(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(RedisStoresMarker));
        if (existing?.ImplementationInstance is RedisStoresMarker registered)
        {
            return registered;
        }

        var marker = new RedisStoresMarker();
        services.AddSingleton(marker);
        services.AddOptions<RedisStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>());
        services.TryAddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value.Configuration!));
        services.RemoveAll<IUserHistoryStore>();
        services.RemoveAll<IUserDislikeStore>();
        services.RemoveAll<IItemPopularityStore>();
        services.RemoveAll<IUserProfileStore>();
        services.RemoveAll<IEventStore>();
        services.RemoveAll<INeighbourListStore>();
        services.RemoveAll<IUserEmbeddingStore>();
        services.AddSingleton<IUserHistoryStore, RedisUserHistoryStore>();
        services.AddSingleton<IUserDislikeStore, RedisUserDislikeStore>();
        services.AddSingleton<IItemPopularityStore, RedisItemPopularityStore>();
        services.AddSingleton<IUserProfileStore, RedisUserProfileStore>();
        services.AddSingleton<IEventStore, RedisEventStore>();
        services.AddSingleton<INeighbourListStore, RedisNeighbourListStore>();
        services.AddSingleton<IUserEmbeddingStore, RedisUserEmbeddingStore>();
        services.RemoveAll<IVersionedDocumentStoreFactory>();
        services.AddSingleton<IVersionedDocumentStoreFactory, RedisVersionedDocumentStoreFactory>();
        return marker;
    }

    private static ConnectionMultiplexer Connect(string configuration)
    {
        try
        {
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException ex)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, $"Cannot connect to Redis at '{RedactPassword(configuration)}' (RecFramework:Stores:Redis:Configuration): {ex.Message}", ex);
        }
    }

    private static string RedactPassword(string configuration) =>
        string.Join(',', configuration.Split(',').Select(part => part.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : part));

    /// <summary>Marks the registration done (idempotence) and whether the section is bound already.</summary>
    private sealed class RedisStoresMarker
    {
        public bool SectionBound { get; set; }
    }
}
