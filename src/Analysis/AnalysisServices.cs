using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Lifecycle;

namespace RecFramework.Analysis;

/// <summary>
/// The container an offline run (evaluation, comparison) works in: the framework and experiments as a service
/// registers them, the caller's channels and backends (the same registration the
/// service uses), configuration from the caller plus an optional file, and a private artifact folder. The hosted
/// start-up is off: the run builds what it needs itself through <see cref="ChannelLifecycle"/>.
/// </summary>
public static class AnalysisServices
{
    /// <summary>Composes the services; <paramref name="overrides"/> are applied last.</summary>
    /// <param name="baseConfiguration">The caller's configuration (may be null).</param>
    /// <param name="configFile">An extra JSON configuration file (appsettings format), or null.</param>
    /// <param name="artifactsRoot">Artifact store root for this run.</param>
    /// <param name="configure">Registers channels and backends (as the service does), or null for the framework's own.</param>
    /// <param name="overrides">Configuration values that win over everything else.</param>
    public static (ServiceCollection Services, ConfigurationManager Configuration) Compose(
        IConfiguration? baseConfiguration, string? configFile, string artifactsRoot, Action<IRecBuilder>? configure, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactsRoot);
        var configuration = new ConfigurationManager();
        if (baseConfiguration is not null)
        {
            configuration.AddConfiguration(baseConfiguration);
        }

        if (configFile is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ArtifactStoreOptions.Section + ":Root"] = Path.GetFullPath(artifactsRoot),
            [ChannelStartupOptions.Section + ":Enabled"] = "false",
        });
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        var services = new ServiceCollection();
        var builder = services.AddRecFramework(configuration);
        builder.AddRecExperiments();
        configure?.Invoke(builder);
        return (services, configuration);
    }
}
