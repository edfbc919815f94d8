using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecFramework.Channels;
using RecFramework.DependencyInjection;

namespace RecFramework.Experiments.Tests;

/// <summary>Configurations and a real DI container for the tests.</summary>
internal static class TestConfigurations
{
    /// <summary>Two layers, 10 % holdout, two running experiments and a launched one with a reverse bucket.</summary>
    public const string TwoLayers = """
    {
      "RecFramework": {
        "Experiments": {
          "BucketCount": 1000,
          "Holdout": { "Share": 0.1, "Salt": "holdout-2026q4" },
          "Layers": [
            {
              "Name": "recall", "Salt": "recall",
              "Parameters": { "channels": "itemcf,popular", "itemcf.quota": "200", "k": "50" },
              "Experiments": [
                { "Name": "exp-a", "Status": "Running", "Buckets": [ "0-199" ],
                  "Variants": [
                    { "Name": "control", "Share": 0.5 },
                    { "Name": "treatment", "Share": 0.5, "Parameters": { "channels": "itemcf,two-tower,popular" } } ] },
                { "Name": "exp-b", "Status": "Running", "Buckets": [ "200-249", "250-299" ],
                  "Variants": [
                    { "Name": "control", "Share": 0.5 },
                    { "Name": "big-quota", "Share": 0.5, "Parameters": { "itemcf.quota": "400" } } ] },
                { "Name": "launch-tt", "Status": "Launched", "LaunchedVariant": "treatment", "Buckets": [ "300-399" ],
                  "ReverseBuckets": [ "990-999" ],
                  "Variants": [
                    { "Name": "control", "Share": 0.5 },
                    { "Name": "treatment", "Share": 0.5, "Parameters": { "two-tower.weight": "1.5", "two-tower.quota": "300" } } ] }
              ]
            },
            {
              "Name": "rank", "Salt": "rank",
              "Parameters": { "ranker": "gbdt-v1" },
              "Experiments": [
                { "Name": "rank-dnn", "Status": "Running", "Buckets": [ "0-499" ],
                  "Variants": [
                    { "Name": "control", "Share": 0.5 },
                    { "Name": "dnn", "Share": 0.5, "Parameters": { "ranker": "dnn-v2" } } ] }
              ]
            }
          ]
        }
      }
    }
    """;

    public static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>A container with the framework, fake itemcf and two-tower channels, and the experiments.</summary>
    public static ServiceProvider Services(IConfiguration configuration, ILoggerProvider? logger = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        if (logger is not null)
        {
            services.AddLogging(b => b.AddProvider(logger).SetMinimumLevel(LogLevel.Debug));
        }

        services.AddRecFramework(configuration)
            .AddChannel<FakeItemCFChannel>("itemcf")
            .AddChannel<FakeTwoTowerChannel>("two-tower")
            .AddRecExperiments();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ExperimentRouter Router(string json) => Services(Json(json)).GetRequiredService<ExperimentRouter>();

    /// <summary>The validator with the test channels registered.</summary>
    public static ExperimentsOptionsValidator Validator() =>
        new(new ChannelCatalog([new ChannelRegistration("popular", typeof(FakeItemCFChannel)), new ChannelRegistration("itemcf", typeof(FakeItemCFChannel)), new ChannelRegistration("two-tower", typeof(FakeTwoTowerChannel))]));

    public static ExperimentsOptions Options(string json)
    {
        var options = new ExperimentsOptions();
        Json(json).GetSection(ExperimentsOptions.Section).Bind(options);
        return options;
    }
}

internal sealed class FakeItemCFChannel : IRecallChannel
{
    public string Name => "itemcf";

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(RecallResult.Empty);
}

internal sealed class FakeTwoTowerChannel : IRecallChannel
{
    public string Name => "two-tower";

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(RecallResult.Empty);
}

/// <summary>A configuration provider whose whole content can be swapped (then it signals a reload).</summary>
internal sealed class SwappableConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    public SwappableConfigurationProvider(string json) => Set(json);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Swap(string json)
    {
        Set(json);
        OnReload();
    }

    private void Set(string json) => Data = TestConfigurations.Json(json).AsEnumerable()
        .Where(p => p.Value is not null)
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
}
