using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Stores;

namespace RecFramework.Experiments.Operations;

/// <summary>DI entry point of the experiment store and its lifecycle operations.</summary>
public static class ExperimentStoreRecBuilderExtensions
{
    /// <summary>
    /// Registers the experiment store (options <see cref="ExperimentStoreOptions"/> from
    /// <c>RecFramework:ExperimentStore</c>: a JSON file, or Redis when <see cref="ExperimentStoreOptions.Backend"/> is
    /// <c>Redis</c>, through the <see cref="IVersionedDocumentStoreFactory"/> that <c>AddRedisStores</c> registers;
    /// unless another <see cref="IExperimentStore"/> is registered first), the
    /// watcher that polls it (a hosted service) and <see cref="ExperimentOperations"/>. Once the store holds a
    /// configuration, the router serves it instead of the <c>RecFramework:Experiments</c> section and reloads on every
    /// new store version. Adds <see cref="ExperimentsRecBuilderExtensions.AddRecExperiments"/>. Idempotent.
    /// </summary>
    public static IRecBuilder AddExperimentStore(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRecExperiments();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ExperimentStoreSource)))
        {
            return builder;
        }

        services.AddOptions<ExperimentStoreOptions>().Bind(builder.Configuration.GetSection(ExperimentStoreOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IExperimentStore>(CreateStore);
        services.AddSingleton<ExperimentStoreSource>();
        services.AddSingleton<IPostConfigureOptions<ExperimentsOptions>>(sp => sp.GetRequiredService<ExperimentStoreSource>());
        services.AddSingleton<IOptionsChangeTokenSource<ExperimentsOptions>>(sp => sp.GetRequiredService<ExperimentStoreSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExperimentStoreWatcher>());
        services.TryAddSingleton(sp => new ExperimentOperations(
            sp.GetRequiredService<IExperimentStore>(),
            sp.GetRequiredService<ExperimentStoreSource>(),
            sp.GetRequiredService<ExperimentsOptionsValidator>(),
            sp.GetRequiredService<IOptionsMonitor<ExperimentsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ExperimentOperations>>()));
        return builder;
    }

    private static VersionedExperimentStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ExperimentStoreOptions>>().Value;
        switch (options.Backend)
        {
            case ExperimentStoreBackend.File:
                return new VersionedExperimentStore(new FileVersionedDocumentStore(options.Path, options.MaxAuditEntries));
            case ExperimentStoreBackend.Redis:
                var factory = services.GetService<IVersionedDocumentStoreFactory>()
                    ?? throw new RecFrameworkException(
                        RecError.InvalidConfiguration,
                        $"{ExperimentStoreOptions.Section}:{nameof(ExperimentStoreOptions.Backend)} is 'Redis' but no Redis connection is registered: set RecFramework:Stores:Redis:Configuration (the Host then calls AddRedisStores) or call AddRedisStores.");
                return new VersionedExperimentStore(factory.Open(VersionedExperimentStore.DocumentName, options.MaxAuditEntries));
            default:
                throw new RecFrameworkException(RecError.InvalidConfiguration, $"{ExperimentStoreOptions.Section}:{nameof(ExperimentStoreOptions.Backend)} '{options.Backend}' is not File or Redis.");
        }
    }
}
