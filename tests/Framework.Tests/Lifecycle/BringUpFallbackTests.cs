using RecFramework.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Popularity;
using RecFramework.Tests.Artifacts;

namespace RecFramework.Tests.Lifecycle;

/// <summary>Issue 21, cases 3 and 4 in the library: a bad version never takes a channel down when a good one exists.</summary>
public sealed class BringUpFallbackTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-fallback-" + Guid.NewGuid().ToString("N"));
    private readonly FakeLogCollector _logs = new();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs)));
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = _root }).Build());
        return services.BuildServiceProvider();
    }

    private static InteractionDataset Data() =>
        new("fallback-test", [new Interaction(1, 10, InteractionType.Click, 1), new Interaction(2, 11, InteractionType.Click, 2)]);

    private async Task<string> PublishAsync(ChannelLifecycle lifecycle) => (await lifecycle.BuildAsync("popular", Data())).Directory;

    [Fact]
    public async Task StartUpFallsBackToTheNewestUsableVersionAndLogsEachSkippedOne()
    {
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        await PublishAsync(lifecycle);
        await PublishAsync(lifecycle);
        File.WriteAllText(Path.Combine(await PublishAsync(lifecycle), "manifest.json"), "{ \"channel\": ");
        ArtifactDamage.EditManifest(await PublishAsync(lifecycle), json => json["files"] = null);
        File.Delete(Path.Combine(await PublishAsync(lifecycle), PopularChannel.FileName));

        var result = await lifecycle.BringUpAsync("popular", data: null, buildMissing: false);

        Assert.Equal(ChannelBringUpOutcome.Opened, result.Outcome);
        Assert.Equal("v0002", result.Version);
        var skipped = _logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains("skipped at start-up", StringComparison.Ordinal)).Select(r => r.Message).ToArray();
        Assert.Equal(3, skipped.Length);
        Assert.Contains("v0005", skipped[0], StringComparison.Ordinal);
        Assert.Contains("v0004", skipped[1], StringComparison.Ordinal);
        Assert.Contains("'files'", skipped[1], StringComparison.Ordinal);
        Assert.Contains("v0003", skipped[2], StringComparison.Ordinal);
        Assert.Contains("not valid JSON", skipped[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoaderCrashIsRefusedAsArtifactCorruptWithTheVersionNamed()
    {
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        var dir = await PublishAsync(lifecycle);
        File.Delete(Path.Combine(dir, PopularChannel.FileName));
        ArtifactDamage.EditManifest(dir, json => json["files"] = new System.Text.Json.Nodes.JsonArray());

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => lifecycle.ActivateVersionAsync("popular", "v0001"));

        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("popular/v0001", ex.Message, StringComparison.Ordinal);
        Assert.Contains(PopularChannel.FileName, ex.Message, StringComparison.Ordinal);
    }
}
