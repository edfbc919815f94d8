using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Stores;

using static RecFramework.Channels.ItemCF.Tests.UpdateWorkerTestHost;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// The hosted <see cref="ModelUpdateWorker"/> on a short schedule driven by a <see cref="FakeTimeProvider"/>: an empty
/// window is skipped, then events arriving in the log become a new ItemCF version that is activated.
/// </summary>
public sealed class ModelUpdateWorkerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-updates-").FullName;

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

    private ServiceProvider CreateServices(FakeTimeProvider time, Dictionary<string, string?> extra, Data.InteractionDataset? startup = null)
        => UpdateWorkerTestHost.CreateServices(_dir, time, extra, startup: startup);

    private static async Task AppendAsync(IEventStore events, DateTimeOffset at)
    {
        var records = new List<EventRecord>();
        for (var user = 0; user < 30; user++)
        {
            records.Add(new(new Interaction(user, 1 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + user)));
            records.Add(new(new Interaction(user, 10 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + user + 1)));
        }

        await events.AppendAsync(records);
    }

    [Fact]
    public async Task SkipsAnEmptyWindowThenActivatesAVersionBuiltFromTheLog()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(time, []);
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var events = provider.GetRequiredService<IEventStore>();
        var channel = lifecycle.ArtifactChannel("itemcf")!;
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Nothing in the log: the first run skips (no version is published).
            var skipped = await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60 });
            Assert.Null(skipped);
            Assert.Empty(lifecycle.Store.ListAll("itemcf"));

            await AppendAsync(events, time.GetUtcNow().AddMinutes(-5));
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => channel.ActiveVersion is not null, "the first scheduled update");
            var first = channel.ActiveVersion;
            Assert.Single(lifecycle.Store.ListAll("itemcf"));

            await AppendAsync(events, time.GetUtcNow().AddMinutes(-1));
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => channel.ActiveVersion != first, "the second scheduled update");
            Assert.Equal(2, lifecycle.Store.ListAll("itemcf").Count);
            Assert.Equal(lifecycle.Store.ListAll("itemcf")[^1].Version, channel.ActiveVersion);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TheScheduleLogsAnEmptyWindowAndRetriesAFailingBuildWithADoublingDelay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(time, new()
        {
            ["RecFramework:Updates:Channels:itemcf:Parameters:Bogus"] = "1",
            ["RecFramework:Updates:Channels:itemcf:RetrySeconds"] = "30",
        });
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var logs = provider.GetFakeLogCollector();
        int Count(int eventId) => logs.GetSnapshot().Count(r => r.Id.Id == eventId);
        var factory = provider.GetRequiredService<IMeterFactory>();
        var outcomes = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "recfw.update.runs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    lock (outcomes)
                    {
                        outcomes.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(1901) == 1, "the empty window's log line");

            await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-1));
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(1902) == 1, "the first failure");
            Assert.Contains("retrying in 30 s", logs.GetSnapshot().Last(r => r.Id.Id == 1902).Message, StringComparison.Ordinal);

            await AdvanceUntilAsync(time, TimeSpan.FromSeconds(30), () => Count(1902) == 2, "the first retry");
            Assert.Contains("attempt 2", logs.GetSnapshot().Last(r => r.Id.Id == 1902).Message, StringComparison.Ordinal);
            Assert.Contains("retrying in 60 s", logs.GetSnapshot().Last(r => r.Id.Id == 1902).Message, StringComparison.Ordinal);

            time.Advance(TimeSpan.FromSeconds(59));
            await Task.Delay(200);
            Assert.Equal(2, Count(1902)); // not before the doubled delay
            await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => Count(1902) == 3, "the second retry");
            Assert.Empty(provider.GetRequiredService<ChannelLifecycle>().Store.ListAll("itemcf"));
            lock (outcomes)
            {
                Assert.Equal(["skipped", "failed", "failed", "failed"], outcomes); // recfw.update.runs by outcome
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AnUpdateTakesProfilesFromTheStartupData()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var schema = new FeatureSchema([new FeatureSpec("segment", FeatureKind.Categorical)]);
        var startup = new Data.InteractionDataset("start-up", [new Interaction(0, 1, InteractionType.Click, 1)],
            new ProfileTable(schema, Enumerable.Range(0, 20).Select(u => new Profile(u, [[$"s{u % 2}"]]))));
        await using var provider = CreateServices(time, [], startup);
        var logs = provider.GetFakeLogCollector();
        await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));

        var handle = await provider.GetRequiredService<ModelUpdateWorker>().UpdateAsync("itemcf", new ModelUpdateSchedule());

        Assert.NotNull(handle);
        var built = logs.GetSnapshot().Single(r => r.Id.Id == 1900).Message;
        Assert.Contains("10 new users", built, StringComparison.Ordinal); // 30 users in the log, 20 with a start-up profile
        Assert.Contains("6 new items", built, StringComparison.Ordinal); // items 1, 2, 3, 10, 11, 12: none has a start-up profile (its events are not kept)
        Assert.Equal(handle.Manifest.Version, provider.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!.ActiveVersion);
    }

    [Fact]
    public async Task AFailingUpdateThrowsAndPublishesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(time, new() { ["RecFramework:Updates:Channels:itemcf:Parameters:Bogus"] = "1" });
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => worker.UpdateAsync("itemcf", provider.GetRequiredService<IOptions<ModelUpdateOptions>>().Value.Channels["itemcf"]));

        Assert.Contains("Bogus", ex.Message, StringComparison.Ordinal);
        Assert.Empty(lifecycle.Store.ListAll("itemcf"));
    }

    [Fact]
    public void AScheduleOutOfRangeIsRefusedNamingTheChannel()
    {
        var time = new FakeTimeProvider();
        using var provider = CreateServices(time, new() { ["RecFramework:Updates:Channels:itemcf:EveryMinutes"] = "0" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ModelUpdateOptions>>().Value);

        Assert.Contains("RecFramework:Updates:Channels:itemcf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EveryMinutes", ex.Message, StringComparison.Ordinal);
    }
}
