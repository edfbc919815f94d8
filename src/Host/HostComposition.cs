using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.AspNetCore.Hosting;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Lifecycle;
using RecFramework.Stores.Redis;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Host;

/// <summary>
/// The one place where the Host wires the framework and every built-in channel; the service, the CLI and the
/// benchmarks all compose through it so they run the same code.
/// </summary>
internal static class HostComposition
{
    /// <summary>Registers the framework and the built-in channels.</summary>
    public static IRecBuilder AddRecFrameworkHost(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddRecFramework(configuration).AddRedisStoresWhenConfigured();
        AddHostChannels(builder);
        builder.AddRecExperiments();
        builder.AddModelUpdates(); // off unless RecFramework:Updates:Enabled
        return builder;
    }

    /// <summary>The built-in channels and the Faiss index (what offline runs register beside the framework).</summary>
    public static void AddHostChannels(IRecBuilder builder)
    {
        builder.AddItemCFChannel();
        builder.AddSwingChannel();
        builder.AddUserCFChannel();
        builder.AddFaissVectorIndex();
        builder.AddTwoTowerChannel();
        builder.AddMatrixCompletionChannel(); // a baseline: disabled in the service's default plan (appsettings.json)
    }

    /// <summary>
    /// True when the configuration gives a Redis connection (<c>RecFramework:Stores:Redis:Configuration</c>): the Host
    /// then selects the Redis stores, otherwise it keeps the in-process ones.
    /// </summary>
    public static bool UsesRedis(IConfiguration configuration) => RedisStoresRecBuilderExtensions.IsConfigured(configuration);

    /// <summary>Configuration from appsettings.json beside the executable (or <paramref name="configFile"/>), then environment variables (RECFW_ prefix).</summary>
    public static IConfiguration LoadConfiguration(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        ServiceConfiguration.Load(configFile, overrides);
}
