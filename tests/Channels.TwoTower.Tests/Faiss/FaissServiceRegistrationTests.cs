using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Channels.TwoTower.Faiss;
using RecFramework.DependencyInjection;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests.Faiss;

public sealed class FaissServiceRegistrationTests
{
    [Fact]
    public void RegistersTheFaissFactoryAndBindsOptions()
    {
        using var provider = Build(new()
        {
            ["RecFramework:VectorIndex:Description"] = "IVF64,Flat",
            ["RecFramework:VectorIndex:NProbe"] = "8",
            ["RecFramework:VectorIndex:AuditSampleRate"] = "0.25",
        });

        var options = provider.GetRequiredService<IOptions<VectorIndexOptions>>().Value;
        var factory = provider.GetRequiredService<IVectorIndexFactory>();

        Assert.IsType<FaissVectorIndexFactory>(factory);
        Assert.Equal("IVF64,Flat", ((FaissVectorIndexFactory)factory).ConfiguredDescription);
        Assert.Equal(new VectorSearchParameters(NProbe: 8), options.SearchParameters);
        Assert.Equal(0.25, options.AuditSampleRate);
        Assert.NotNull(provider.GetRequiredService<VectorIndexRecallAudit>());
    }

    [Fact]
    public void DefaultsToHnsw32AndExactKindMeansFlat()
    {
        using var defaults = Build([]);
        Assert.Equal("HNSW32", defaults.GetRequiredService<FaissVectorIndexFactory>().ConfiguredDescription);

        using var exact = Build(new() { ["RecFramework:VectorIndex:Kind"] = "exact" });
        Assert.Equal("Flat", exact.GetRequiredService<FaissVectorIndexFactory>().ConfiguredDescription);
    }

    [Fact]
    public void KeepsAnEarlierIndexFactoryRegistration()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();
        var other = new FaissVectorIndexFactory();
        services.AddSingleton<IVectorIndexFactory>(other);
        services.AddRecFramework(configuration).AddFaissVectorIndex().AddFaissVectorIndex();
        using var provider = services.BuildServiceProvider();

        Assert.Same(other, provider.GetRequiredService<IVectorIndexFactory>());
        Assert.Single(services, d => d.ServiceType == typeof(FaissVectorIndexFactory));
    }

    [Theory]
    [InlineData("Kind", "annoy")]
    [InlineData("AuditSampleRate", "1.5")]
    [InlineData("NProbe", "0")]
    public void RejectsInvalidOptions(string key, string value)
    {
        using var provider = Build(new() { [$"RecFramework:VectorIndex:{key}"] = value });
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VectorIndexOptions>>().Value);
        Assert.Contains(key, e.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddFaissVectorIndex();
        return services.BuildServiceProvider();
    }
}
