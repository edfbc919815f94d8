using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;
using RecFramework.Experiments.Operations;
using RecFramework.Stores;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary><c>RecFramework:ExperimentStore:Backend</c> picks the backend; Redis without a Redis registration is refused with the keys to set.</summary>
public sealed class ExperimentStoreBackendTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRecFramework(configuration).AddExperimentStore();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void TheFileBackendIsTheDefaultAndUsesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "recfw-backend-" + Guid.NewGuid().ToString("N"), "x.json");
        using var services = Services(("RecFramework:ExperimentStore:Path", path));

        var store = Assert.IsType<VersionedExperimentStore>(services.GetRequiredService<IExperimentStore>());

        Assert.Equal(path, Assert.IsType<FileVersionedDocumentStore>(store.Documents).FilePath);
    }

    [Fact]
    public void TheRedisBackendWithoutARedisConnectionIsRefusedNamingTheKeys()
    {
        using var services = Services(("RecFramework:ExperimentStore:Backend", "Redis"));

        var ex = Assert.Throws<RecFrameworkException>(() => services.GetRequiredService<IExperimentStore>());

        Assert.Equal(RecError.InvalidConfiguration, ex.Error);
        Assert.Contains("RecFramework:ExperimentStore:Backend is 'Redis'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RecFramework:Stores:Redis:Configuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRedisBackendOpensTheExperimentsDocumentOfTheRegisteredFactory()
    {
        var factory = new RecordingFactory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("RecFramework:ExperimentStore:Backend", (string?)"redis"), KeyValuePair.Create("RecFramework:ExperimentStore:MaxAuditEntries", (string?)"7")]).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IVersionedDocumentStoreFactory>(factory);
        services.AddRecFramework(configuration).AddExperimentStore();
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<VersionedExperimentStore>(provider.GetRequiredService<IExperimentStore>());

        Assert.Same(factory.Opened, store.Documents);
        Assert.Equal(("experiments", 7), factory.Arguments);
    }

    /// <summary>A shared backend that opens file stores and records what was asked.</summary>
    private sealed class RecordingFactory : IVersionedDocumentStoreFactory
    {
        public string Backend => "Recording";

        public IVersionedDocumentStore? Opened { get; private set; }

        public (string Name, int Max) Arguments { get; private set; }

        public IVersionedDocumentStore Open(string name, int maxAuditEntries)
        {
            Arguments = (name, maxAuditEntries);
            return Opened = new FileVersionedDocumentStore(Path.Combine(Path.GetTempPath(), "recfw-backend-" + Guid.NewGuid().ToString("N"), name + ".json"), maxAuditEntries);
        }
    }
}
