using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;

namespace RecFramework.Tests.Lifecycle;

/// <summary>Artifacts know their data: a version built from other data than the start-up data is reported at start.</summary>
public sealed class DataMismatchTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-mismatch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static InteractionDataset Data(string name, int users)
    {
        var events = new List<Interaction>();
        long t = 1_700_000_000;
        for (var u = 1; u <= users; u++)
        {
            for (var i = 1; i <= 6; i++)
            {
                events.Add(new Interaction(u, (u * i) % 9 + 1, InteractionType.Click, t++));
            }
        }

        return new InteractionDataset(name, [.. events]);
    }

    private async Task<(ChannelStartupService Startup, FakeLogCollector Logs)> StartAsync(InteractionDataset data, string? policy = null)
    {
        var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = _root };
        if (policy is not null)
        {
            values["RecFramework:Startup:OnDataMismatch"] = policy;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging());
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).UseStartupData(_ => data);
        var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<ChannelStartupService>();
        await startup.StartAsync(CancellationToken.None);
        return (startup, provider.GetFakeLogCollector());
    }

    [Fact]
    public async Task ManifestsRecordTheDataTheyWereBuiltFrom()
    {
        var data = Data("synthetic", 30);
        var (startup, _) = await StartAsync(data);

        Assert.Equal(ChannelBringUpOutcome.Built, startup.Outcomes.Single(o => o.Channel == "popular").Outcome);
        var manifest = new RecFramework.Artifacts.FileArtifactStore(_root).List("popular").Single();
        Assert.Equal(DataFingerprint.Of(data), manifest.Data);
        Assert.Equal(180, manifest.Data!.Interactions);
        Assert.Equal("synthetic", manifest.Data.Source);
    }

    [Fact]
    public async Task ChangingTheDataUnderAPublishedVersionIsLoggedAndServedByDefault()
    {
        await StartAsync(Data("synthetic", 30));

        var (startup, logs) = await StartAsync(Data("ml-100k", 40));

        var popular = startup.Outcomes.Single(o => o.Channel == "popular");
        Assert.Equal((ChannelBringUpOutcome.Opened, "v0001"), (popular.Outcome, popular.Version));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("was built from synthetic", StringComparison.Ordinal));
        Assert.Contains("the start-up data is ml-100k", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByOptionAMismatchIsRebuiltOrRefused()
    {
        await StartAsync(Data("synthetic", 30));

        var (rebuilt, _) = await StartAsync(Data("ml-100k", 40), "Rebuild");
        var rebuiltPopular = rebuilt.Outcomes.Single(o => o.Channel == "popular");
        Assert.Equal((ChannelBringUpOutcome.Built, "v0002"), (rebuiltPopular.Outcome, rebuiltPopular.Version));

        var (refused, _) = await StartAsync(Data("other", 20), "Refuse");
        var refusedPopular = refused.Outcomes.Single(o => o.Channel == "popular");
        Assert.Equal(ChannelBringUpOutcome.Skipped, refusedPopular.Outcome);
        Assert.Contains("v0002 was built from ml-100k", refusedPopular.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameDataIsNoMismatch()
    {
        await StartAsync(Data("synthetic", 30));

        var (startup, logs) = await StartAsync(Data("synthetic", 30));

        Assert.Equal(ChannelBringUpOutcome.Opened, startup.Outcomes.Single(o => o.Channel == "popular").Outcome);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }
}
