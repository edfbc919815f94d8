using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.Artifacts;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Stores;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Issue 20, faults: stopping the service in the middle of a two-tower update (the worker's token cancelled while the
/// trainer runs, the draft already staged) stops training between two batches, publishes nothing, removes the staged
/// draft, logs it, and leaves the serving version serving; the next update publishes normally.
/// </summary>
public sealed class StoppedUpdateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-stopped-update-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ServiceProvider Services() =>
        CreateServices(new Dictionary<string, string?>
        {
            ["RecFramework:Stores:EventsPath"] = Path.Combine(_dir, "events.db"),
            ["RecFramework:Artifacts:Root"] = Path.Combine(_dir, "artifacts"),
            ["RecFramework:Channels:two-tower:Options:Dimension"] = "16",
            ["RecFramework:Channels:two-tower:Options:IdEmbeddingDimension"] = "16",
            ["RecFramework:Channels:two-tower:Options:HiddenLayers"] = "32",
            ["RecFramework:Channels:two-tower:Options:BatchSize"] = "64",
            ["RecFramework:Channels:two-tower:Options:Epochs"] = "2",
            ["RecFramework:Channels:two-tower:Options:Threads"] = "2",
            ["RecFramework:Channels:two-tower:Options:IndexDescription"] = "Flat",
            ["RecFramework:Channels:two-tower:Options:ExcludeFeatures"] = "segment,age,tags,year",
        });

    private static ServiceProvider CreateServices(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddTwoTowerChannel().AddModelUpdates();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task StoppingAFullUpdateMidTrainingPublishesNothingRemovesTheDraftAndKeepsTheServingVersion()
    {
        var (train, _) = SyntheticData.Create(users: 80, items: 60, clicksPerUser: 12);
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        var first = await lifecycle.BuildAsync(TwoTowerChannel.ChannelName, train, new ChannelBuildSettings { Seed = 1 });
        await lifecycle.ActivateAsync(TwoTowerChannel.ChannelName, first);

        // The last half hour of traffic in the service's event log.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await provider.GetRequiredService<IEventStore>().AppendAsync(
            [.. train.Interactions.Select((e, i) => new EventRecord(e with { Timestamp = now - 1_800 + (i % 1_700) }))]);

        // A full update long enough (thousands of epochs) that only cancellation can end it within the wait below.
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var schedule = new ModelUpdateSchedule { WindowMinutes = 60, Parameters = { ["update"] = "full", ["epochs"] = "5000" } };
        using var stop = new CancellationTokenSource();
        var update = Task.Run(() => worker.UpdateAsync(TwoTowerChannel.ChannelName, schedule, full: true, stop.Token)); // training is synchronous work
        var channelDir = Path.Combine(_dir, "artifacts", TwoTowerChannel.ChannelName);
        using (var staged = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!Directory.EnumerateDirectories(channelDir, ".staging-*").Any())
            {
                Assert.False(update.IsCompleted, $"the update ended before it staged a draft: {update.Exception?.GetBaseException().Message}; log: "
                    + string.Join(" | ", provider.GetFakeLogCollector().GetSnapshot().Select(r => $"{r.Id.Id} {r.Message}")));
                await Task.Delay(10, staged.Token);
            }
        }

        await Task.Delay(200); // into the epochs
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => update.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Empty(Directory.EnumerateDirectories(channelDir, ".staging-*"));
        Assert.Equal([first.Manifest.Version], lifecycle.Store.ListAll(TwoTowerChannel.ChannelName).Select(l => l.Version));
        Assert.Equal(first.Manifest.Version, lifecycle.ArtifactChannel(TwoTowerChannel.ChannelName)!.ActiveVersion);
        Assert.Equal(first.Manifest.Version, lifecycle.Store.ActiveVersion(TwoTowerChannel.ChannelName));
        var abandoned = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1021);
        Assert.Contains("build cancelled", abandoned.Message, StringComparison.Ordinal);
        Assert.Contains("staged drafts removed: v0002", abandoned.Message, StringComparison.Ordinal);

        // The service still recommends from the serving version, and the next update publishes and activates.
        var channel = provider.GetRequiredKeyedService<IRecallChannel>(TwoTowerChannel.ChannelName);
        var recall = await channel.RecallAsync(new RecallRequest { UserId = train.Interactions[0].UserId, K = 10 }, CancellationToken.None);
        Assert.NotEmpty(recall.Items);
        var next = await worker.UpdateAsync(TwoTowerChannel.ChannelName, new ModelUpdateSchedule { WindowMinutes = 60, Parameters = { ["update"] = "full" } }, full: true);
        Assert.NotNull(next);
        Assert.Equal("v0002", next.Manifest.Version);
        Assert.Equal("v0002", lifecycle.ArtifactChannel(TwoTowerChannel.ChannelName)!.ActiveVersion);
    }

    [Fact]
    public async Task AFailingBuildRemovesWhatItStagedAndNamesTheFailure()
    {
        var (train, _) = SyntheticData.Create(users: 40, items: 30, clicksPerUser: 8);
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        await lifecycle.BuildAsync(TwoTowerChannel.ChannelName, train, new ChannelBuildSettings { Seed = 1 });

        // The checkpoint folder is a file: the trainer fails at the end of the first epoch, after the draft was staged.
        var notAFolder = Path.Combine(_dir, "checkpoints");
        await File.WriteAllTextAsync(notAFolder, "a file");
        var failing = new ChannelBuildSettings
        {
            Seed = 2,
            Parameters = new Dictionary<string, string> { ["update"] = "full", ["epochs"] = "1", ["checkpoint_dir"] = notAFolder },
        };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => lifecycle.BuildAsync(TwoTowerChannel.ChannelName, train, failing));
        Assert.IsNotType<OperationCanceledException>(error);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_dir, "artifacts", TwoTowerChannel.ChannelName), ".staging-*"));
        Assert.Single(lifecycle.Store.ListAll(TwoTowerChannel.ChannelName));
        var failed = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1021);
        Assert.Contains("build failed", failed.Message, StringComparison.Ordinal);
    }
}
