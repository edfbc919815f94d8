using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RecFramework.Artifacts;
using RecFramework.Lifecycle;
using RecFramework.Stores;

using static RecFramework.Channels.ItemCF.Tests.UpdateWorkerTestHost;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// The daily full update beside the periodic one (fake clock), retention of old versions, and the store's record of
/// the active version that start-up and the artifact watcher read.
/// </summary>
public sealed class ModelUpdateFullAndRetentionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-full-").FullName;

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

    private static async Task AppendAsync(IEventStore events, DateTimeOffset at, int firstUser = 0)
    {
        var records = new List<EventRecord>();
        for (var user = firstUser; user < firstUser + 30; user++)
        {
            records.Add(new(new Interaction(user, 1 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + (user - firstUser))));
            records.Add(new(new Interaction(user, 10 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + (user - firstUser) + 1)));
        }

        await events.AppendAsync(records);
    }

    [Fact]
    public async Task TheFullUpdateRunsAtItsTimeOfDayInsteadOfThePeriodicOneDueAtTheSameTick()
    {
        var start = new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var provider = CreateServices(_dir, time, new()
        {
            ["RecFramework:Updates:Channels:itemcf:FullAt"] = "04:30",
            ["RecFramework:Updates:Channels:itemcf:FullWindowMinutes"] = "2880",
            ["RecFramework:Updates:Channels:itemcf:Parameters:Neighbours"] = "9",
            ["RecFramework:Updates:Channels:itemcf:FullParameters:Neighbours"] = "7", // the full update's parameters replace the periodic ones
        });
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var store = provider.GetRequiredService<ChannelLifecycle>().Store;
        var events = provider.GetRequiredService<IEventStore>();
        var logs = provider.GetFakeLogCollector();
        await AppendAsync(events, start.AddHours(-3), firstUser: 100); // only the full window (two days) reaches these
        await AppendAsync(events, start.AddMinutes(-2));
        ModelUpdateOutcome? Last() => worker.Outcomes.GetValueOrDefault("itemcf");
        await worker.StartAsync(CancellationToken.None);
        try
        {
            (string At, bool Full)[] expected = [("04:10", false), ("04:20", false), ("04:30", true), ("04:40", false)];
            for (var i = 0; i < expected.Length; i++)
            {
                var version = $"v{i + 1:D4}";
                await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Last()?.Version == version, $"the update at {expected[i].At}");
                Assert.Equal(expected[i].Full, Last()!.Full);
                Assert.Equal(expected[i].Full ? 120 : 60, Last()!.Events); // the full update's window holds the older events too
            }

            // One version per tick: the periodic update due at 04:30 was left out, not run after the full one.
            Assert.Equal(["v0001", "v0002", "v0003", "v0004"], store.ListAll("itemcf").Select(l => l.Version));
            Assert.Equal(["\"Neighbours\":9", "\"Neighbours\":9", "\"Neighbours\":7", "\"Neighbours\":9"],
                store.List("itemcf").Select(m => System.Text.RegularExpressions.Regex.Match(m.Properties["options"], "\"Neighbours\":[0-9]+").Value));
            Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1906);

            // One jump to the next day's 04:30: the periodic update overdue since 04:50 and the full one fall due at one
            // tick, and the full one runs.
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes((23 * 60) + 50), () => Last()?.Full == true && Last()!.Version != "v0003", "the next day's full update");
            Assert.Equal(new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.Zero), Last()!.Finished);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AScheduleWithNeitherAPeriodNorAFullUpdateIsRefusedNamingTheChannel()
    {
        await using var provider = CreateServices(_dir, new FakeTimeProvider(), new()
        {
            ["RecFramework:Updates:Channels:itemcf:EveryMinutes"] = "0",
            ["RecFramework:Updates:Channels:swing:FullAt"] = "25:00",
        });
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelUpdateOptions>>().Value);
        Assert.Contains("Channels:itemcf: EveryMinutes is 0 and FullAt is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Channels:swing: FullAt must be a UTC time of day HH:mm", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Pins <see cref="Pinned"/> of every channel, as an experiment variant's <c>{channel}.version</c> does.</summary>
    private sealed class PinningReachability(string pinned) : IChannelReachability
    {
        public bool IsReachable(string channel, out string reason)
        {
            reason = "test";
            return true;
        }

        public IReadOnlyList<string> PinnedVersions(string channel) => [pinned];
    }

    [Fact]
    public async Task RetentionDeletesOldVersionsButKeepsTheServingOneAndTheOnesAVariantPins()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(_dir, time, [], configure: s => s.Replace(ServiceDescriptor.Singleton<IChannelReachability>(new PinningReachability("v0001"))));
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));
        var activate = new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 2 };
        var publishOnly = new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 2, Activate = false };

        await worker.UpdateAsync("itemcf", activate);     // v0001, pinned by the configuration
        await worker.UpdateAsync("itemcf", activate);     // v0002, serving
        for (var i = 0; i < 3; i++)
        {
            await worker.UpdateAsync("itemcf", publishOnly); // v0003 … v0005, published only
        }

        Assert.Equal("v0002", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
        Assert.Equal("v0002", lifecycle.Store.ActiveVersion("itemcf"));
        Assert.Equal(["v0001", "v0002", "v0004", "v0005"], lifecycle.Store.ListAll("itemcf").Select(l => l.Version));
        Assert.Contains(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1907 && r.Message.Contains("deleted v0003", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "artifacts", "itemcf")), p => Path.GetFileName(p).StartsWith(".deleting", StringComparison.Ordinal));

        // The next version is numbered after the newest, never reusing a deleted number.
        await worker.UpdateAsync("itemcf", publishOnly);
        Assert.Equal(["v0001", "v0002", "v0005", "v0006"], lifecycle.Store.ListAll("itemcf").Select(l => l.Version));
    }

    /// <summary>Marks <paramref name="version"/> as stored as a delta over <paramref name="parent"/> (what the two-tower builder writes).</summary>
    private void MarkDelta(string version, string parent)
    {
        var path = Path.Combine(_dir, "artifacts", "itemcf", version, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        manifest["properties"]![ArtifactManifest.DeltaOfProperty] = parent;
        File.WriteAllText(path, manifest.ToJsonString());
    }

    [Fact]
    public async Task RetentionKeepsEveryVersionAKeptDeltaIsStoredOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(_dir, time, []);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));
        for (var i = 0; i < 3; i++)
        {
            await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0 }); // v0001 … v0003
        }

        MarkDelta("v0003", "v0002");
        MarkDelta("v0002", "v0001");
        Assert.Equal("v0001", lifecycle.Store.List("itemcf")[1].DeltaOf);

        // v0004 keeps v0003 (serving before it), and v0003 needs v0002, which needs v0001: nothing is deleted.
        var keepOne = new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 1 };
        await worker.UpdateAsync("itemcf", keepOne);
        Assert.Equal(["v0001", "v0002", "v0003", "v0004"], lifecycle.Store.ListAll("itemcf").Select(l => l.Version));

        // v0005 is whole and v0004 (serving before it) too: the chain under v0003 is no longer needed.
        await worker.UpdateAsync("itemcf", keepOne);
        Assert.Equal(["v0004", "v0005"], lifecycle.Store.ListAll("itemcf").Select(l => l.Version));
    }

    [Fact]
    public async Task AWorkerRemovesTheStagingFoldersOfBuildsInterruptedBeforeItStartedAndKeepsNewerOnes()
    {
        // What a stop mid-update leaves: a staging folder with part of a build, and half of a retention deletion.
        var channelDir = Path.Combine(_dir, "artifacts", "itemcf");
        var interrupted = Directory.CreateDirectory(Path.Combine(channelDir, ".staging-0001-0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(interrupted, "neighbours.bin"), "half a build");
        var deleting = Directory.CreateDirectory(Path.Combine(channelDir, ".deleting-v0007-0123456789abcdef")).FullName;
        foreach (var dir in new[] { interrupted, deleting })
        {
            Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow.AddHours(-1));
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(_dir, time, []);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var store = provider.GetRequiredService<ChannelLifecycle>().Store;
        await AppendAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // A build another process starts after this worker did (a manual build) is not touched.
            var later = Directory.CreateDirectory(Path.Combine(channelDir, ".staging-0001-fedcba9876543210")).FullName;
            Directory.SetLastWriteTimeUtc(later, DateTime.UtcNow.AddHours(1));
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => worker.Outcomes.ContainsKey("itemcf"), "the first update");

            Assert.False(Directory.Exists(interrupted));
            Assert.False(Directory.Exists(deleting));
            Assert.True(Directory.Exists(later));
            Assert.Equal(["v0001"], store.ListAll("itemcf").Select(l => l.Version));
            Assert.Contains(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1909 && r.Message.Contains(".staging-0001-0123456789abcdef", StringComparison.Ordinal));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TheStoreRecordsTheActivatedVersionAndStartUpBringsItUpRatherThanTheNewest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var schedule = new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0 };
        await using (var first = CreateServices(_dir, time, []))
        {
            var worker = first.GetRequiredService<ModelUpdateWorker>();
            await AppendAsync(first.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-5));
            await worker.UpdateAsync("itemcf", schedule);
            await worker.UpdateAsync("itemcf", schedule);
            var lifecycle = first.GetRequiredService<ChannelLifecycle>();
            Assert.Equal("v0002", lifecycle.Store.ActiveVersion("itemcf"));
            await lifecycle.ActivateVersionAsync("itemcf", "v0001"); // a rollback
            Assert.Equal("v0001", lifecycle.Store.ActiveVersion("itemcf"));
            var refused = Assert.Throws<RecFrameworkException>(() => lifecycle.Store.Delete("itemcf", "v0001"));
            Assert.Contains("recorded as the active version", refused.Message, StringComparison.Ordinal);
        }

        await using var restarted = CreateServices(_dir, time, []);
        var startup = restarted.GetRequiredService<ChannelStartupService>();
        await startup.StartAsync(CancellationToken.None);
        await startup.StopAsync(CancellationToken.None);
        Assert.Equal("v0001", restarted.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!.ActiveVersion);

        // Another replica records v0002: this one's watcher swaps to it, then leaves it alone.
        var store = new FileArtifactStore(Path.Combine(_dir, "artifacts"));
        store.SetActiveVersion("itemcf", "v0002");
        var watcher = restarted.GetRequiredService<ArtifactWatcher>();
        Assert.Equal(["itemcf"], await watcher.CheckAsync());
        Assert.Equal("v0002", restarted.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!.ActiveVersion);
        Assert.Empty(await watcher.CheckAsync());
    }
}
