using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Vectors.Faiss;
using RecFramework.DependencyInjection;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

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
    public void BuildsTheChannelsDescriptionUnlessConfigurationImposesOne()
    {
        var vectors = TestVectors.Clustered(600, 8, 4, seed: 3);
        var ids = TestVectors.Ids(600);
        string Built(Dictionary<string, string?> settings)
        {
            using var provider = Build(settings);
            using var index = provider.GetRequiredService<IVectorIndexFactory>().Build("HNSW16", 8, vectors, ids);
            return index.Description;
        }

        Assert.Equal("HNSW16", Built([]));
        Assert.Equal("IVF8,Flat", Built(new() { ["RecFramework:VectorIndex:Description"] = "IVF8,Flat" }));
        Assert.Equal("Flat", Built(new() { ["RecFramework:VectorIndex:Kind"] = "exact", ["RecFramework:VectorIndex:Description"] = "IVF8,Flat" }));
    }

    [Fact]
    public async Task IndexesLoadedThroughTheContainerFeedTheRegisteredAudit()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rf-faiss-di-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await using var provider = Build(new() { ["RecFramework:VectorIndex:AuditSampleRate"] = "1", ["RecFramework:VectorIndex:AuditK"] = "5" });
            var factory = provider.GetRequiredService<IVectorIndexFactory>();
            var vectors = TestVectors.Clustered(800, 8, 8, seed: 4);
            using (var built = factory.Build("IVF8,Flat", 8, vectors, TestVectors.Ids(800)))
            {
                built.Save(Path.Combine(dir, "items.index"));
            }

            using var served = factory.Load(Path.Combine(dir, "items.index"));
            served.Search(vectors.AsSpan(0, 8), 5);

            var audit = provider.GetRequiredService<VectorIndexRecallAudit>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (audit.AuditedCount < 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the served search was never audited");
                await Task.Delay(10);
            }

            Assert.InRange(audit.LastRecall, 0, 1);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
