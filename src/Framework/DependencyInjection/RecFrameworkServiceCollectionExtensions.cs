using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Catalog;
using RecFramework.Channels;
using RecFramework.Diagnostics;
using RecFramework.Lifecycle;
using Microsoft.Extensions.Hosting;
using RecFramework.Pipeline;
using RecFramework.Popularity;
using RecFramework.Stores;

namespace RecFramework.DependencyInjection;

/// <summary>The framework's DI entry point.</summary>
public static class RecFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Registers the recall pipeline, its options (validated at start-up), negative feedback (section <c>RecFramework:NegativeFeedback</c>), the in-memory online stores (history, dislikes, popularity, profiles, neighbour lists, user vectors), the item catalogue (<see cref="Catalog.IItemCatalog"/>, section <c>RecFramework:Catalog</c>), the SQLite event log, the file
    /// artifact store, metrics, the <c>popular</c> channel, the <see cref="ChannelLifecycle"/> and the hosted
    /// <see cref="ChannelStartupService"/> (section <c>RecFramework:Startup</c>). Safe to call more than once.
    /// </summary>
    public static IRecBuilder AddRecFramework(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = new RecBuilder(services, configuration);
        if (services.Any(d => d.ServiceType == typeof(RecallPipeline)))
        {
            return builder;
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConfiguration>(configuration);
        services.AddOptions<RecallPipelineOptions>().Bind(configuration.GetSection(RecallPipelineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NegativeFeedbackOptions>().Bind(configuration.GetSection(NegativeFeedbackOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NegativeFeedbackOptions>, NegativeFeedbackOptionsValidator>());
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ArtifactStoreOptions>().Bind(configuration.GetSection(ArtifactStoreOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecallPipelineOptions>, RecFrameworkConfigurationValidator>());
        services.TryAddSingleton(sp => new ChannelCatalog(sp.GetServices<ChannelRegistration>()));
        services.TryAddSingleton<RecallMetrics>();
        services.TryAddSingleton<IUserHistoryStore, InMemoryUserHistoryStore>();
        services.TryAddSingleton<IUserDislikeStore, InMemoryUserDislikeStore>();
        services.TryAddSingleton<IItemPopularityStore, InMemoryItemPopularityStore>();
        services.TryAddSingleton<IUserProfileStore, InMemoryUserProfileStore>();
        services.TryAddSingleton<INeighbourListStore, InMemoryNeighbourListStore>();
        services.TryAddSingleton<IUserEmbeddingStore, InMemoryUserEmbeddingStore>();
        services.AddOptions<ItemCatalogOptions>().Bind(configuration.GetSection(ItemCatalogOptions.Section));
        services.TryAddSingleton<IItemCatalog, InMemoryItemCatalog>();
        services.TryAddSingleton<IEventStore>(sp => new SqliteEventStore(sp.GetRequiredService<IOptions<StoreOptions>>().Value.EventsPath));
        services.TryAddSingleton<IArtifactStore>(sp => new FileArtifactStore(sp.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.Root));
        services.TryAddSingleton<PinnedVersionSource>();
        services.TryAddSingleton<RecallPipeline>();
        services.AddOptions<ChannelStartupOptions>().Bind(configuration.GetSection(ChannelStartupOptions.Section));
        services.TryAddSingleton<ChannelLifecycle>();
        services.TryAddSingleton<IChannelReachability, DefaultPlanReachability>();
        services.TryAddSingleton<ChannelStartupService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChannelStartupService>(sp => sp.GetRequiredService<ChannelStartupService>()));
        services.TryAddSingleton<ArtifactWatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ArtifactWatcher>(sp => sp.GetRequiredService<ArtifactWatcher>()));
        builder.AddPopularChannel();
        return builder;
    }

    /// <summary>Runs every start-up validation now (for hosts without the generic host, such as the CLI).</summary>
    /// <exception cref="OptionsValidationException">Lists every failure, each naming its entry.</exception>
    /// <exception cref="RecFrameworkException">A channel reports another name than its registration.</exception>
    public static async Task ValidateRecFrameworkAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(cancellationToken).ConfigureAwait(false);
        services.GetRequiredService<ChannelLifecycle>().EnsureNamesMatchRegistrations();
    }
}
