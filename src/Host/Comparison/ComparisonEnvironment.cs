using RecFramework.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Experiments;
using RecFramework.Pipeline;
using RecFramework.Stores;
using RecFramework.Stores.Redis;

namespace RecFramework.Host.Comparison;

/// <summary>
/// The services a comparison runs on: the Host's own composition (<see cref="HostComposition.AddRecFrameworkHost"/>),
/// hence the same router and <see cref="RecallPipeline"/> as <c>/recommend</c>, with in-memory stores seeded from the
/// training data and every channel built on it into a private artifact folder.
/// </summary>
internal sealed class ComparisonEnvironment : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string? _ownedArtifacts;

    private ComparisonEnvironment(ServiceProvider provider, string? ownedArtifacts, IReadOnlyList<string> channels)
    {
        _provider = provider;
        _ownedArtifacts = ownedArtifacts;
        Channels = channels;
    }

    /// <summary>The container.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>The experiment router.</summary>
    public IExperimentRouter Router => _provider.GetRequiredService<IExperimentRouter>();

    /// <summary>The recall pipeline.</summary>
    public RecallPipeline Pipeline => _provider.GetRequiredService<RecallPipeline>();

    /// <summary>Registered channel names.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>The experiment configuration the router serves.</summary>
    public ExperimentsOptions Experiments => _provider.GetRequiredService<IOptionsMonitor<ExperimentsOptions>>().CurrentValue;

    /// <summary>Composes the services; without a config file the embedded default comparison configuration is used.</summary>
    public static ComparisonEnvironment Create(ComparisonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? owned = null;
        var artifacts = settings.ArtifactsRoot;
        if (artifacts is null)
        {
            owned = artifacts = Path.Combine(Path.GetTempPath(), "recfw-compare-" + Guid.NewGuid().ToString("N")[..12]);
        }

        var configuration = new ConfigurationManager();
        configuration.AddConfiguration(HostComposition.LoadConfiguration(settings.ConfigFile));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ArtifactStoreOptions.Section + ":Root"] = artifacts,
            // In-process stores: the Host selects Redis only when a connection is configured (HostComposition.UsesRedis).
            [RedisStoreOptions.Section + ":" + nameof(RedisStoreOptions.Configuration)] = string.Empty,
        });
        var services = new ServiceCollection();
        var recBuilder = services.AddRecFrameworkHost(configuration);
        settings.ConfigureServices?.Invoke(recBuilder);
        var channels = services.Where(d => d.ServiceType == typeof(ChannelRegistration) && d.ImplementationInstance is ChannelRegistration)
            .Select(d => ((ChannelRegistration)d.ImplementationInstance!).Name).Distinct(StringComparer.Ordinal).ToList();
        if (settings.ConfigFile is null || configuration.GetSection(ExperimentsOptions.Section).GetChildren().All(c => c.Key != nameof(ExperimentsOptions.Layers)))
        {
            var fallback = configuration["RecFramework:Pipeline:FallbackChannel"] ?? "popular";
            configuration.AddInMemoryCollection(DefaultComparisonConfig.Entries(channels, fallback));
        }

        if (settings.Overrides is not null)
        {
            configuration.AddInMemoryCollection(settings.Overrides);
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        var catalog = provider.GetRequiredService<ChannelCatalog>();
        return new ComparisonEnvironment(provider, owned, catalog.Names);
    }

    /// <summary>Seeds the online stores from <paramref name="train"/> and builds and activates every channel on it.</summary>
    public async Task PrepareAsync(InteractionDataset train, int seed, Action<string>? status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        await OnlineStoreSeeder.SeedAsync(train, _provider.GetRequiredService<IUserHistoryStore>(), _provider.GetRequiredService<IItemPopularityStore>(),
            _provider.GetRequiredService<IUserProfileStore>(), cancellationToken).ConfigureAwait(false);
        var store = _provider.GetRequiredService<IArtifactStore>();
        foreach (var name in Channels)
        {
            var builder = _provider.GetKeyedService<IChannelBuilder>(name);
            if (builder is null)
            {
                continue;
            }

            status?.Invoke($"building {name} on {train.Name}");
            var handle = await builder.BuildAsync(new ChannelBuildContext { Channel = name, Data = train, Store = store, Seed = seed }, cancellationToken).ConfigureAwait(false);
            if (_provider.GetRequiredKeyedService<IRecallChannel>(name) is IArtifactChannel channel)
            {
                await channel.ActivateAsync(handle, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync().ConfigureAwait(false);
        if (_ownedArtifacts is not null && Directory.Exists(_ownedArtifacts))
        {
            Directory.Delete(_ownedArtifacts, recursive: true);
        }
    }
}
