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
/// The quality gate and the lease of <see cref="ModelUpdateWorker"/>, driven by a <see cref="FakeTimeProvider"/>: a
/// useless build is published but not activated, a good one is; of two workers on one artifact store only the lease
/// holder builds, and the other takes over once a stopped holder's lease has expired.
/// </summary>
public sealed class ModelUpdateGateAndLeaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-gate-").FullName;

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

    private ServiceProvider CreateServices(Dictionary<string, string?> extra, TimeProvider time, string events = "events.db")
        => UpdateWorkerTestHost.CreateServices(_dir, time, extra, events);

    /// <summary>
    /// 10 clusters of 8 items (100c+1 … 100c+8) and 80 users; user u of cluster u % 10 clicks seven of its cluster's
    /// items at <paramref name="trainAt"/> and the eighth, (u / 10) % 8, at <paramref name="sliceAt"/>.
    /// </summary>
    private static Task AppendClustersAsync(IEventStore events, DateTimeOffset trainAt, DateTimeOffset sliceAt)
    {
        var records = new List<EventRecord>();
        for (var user = 0; user < 80; user++)
        {
            var cluster = user % 10;
            var skipped = (user / 10) % 8;
            for (var j = 0; j < 8; j++)
            {
                var at = j == skipped ? sliceAt.ToUnixTimeSeconds() : trainAt.ToUnixTimeSeconds() + j;
                records.Add(new(new Interaction(user, (100 * cluster) + j + 1, InteractionType.Click, at)));
            }
        }

        return events.AppendAsync(records).AsTask();
    }

    [Fact]
    public async Task AUselessVersionIsPublishedButNotActivatedAndAGoodOneIs()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices([], time);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var channel = provider.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!;
        var logs = provider.GetFakeLogCollector();
        await AppendClustersAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-30), time.GetUtcNow().AddMinutes(-2));
        var gated = new ModelUpdateSchedule { WindowMinutes = 60, GateMinutes = 5, GateMargin = 0.1 };

        // Nothing serves yet: no gate, the version trains on the whole window and is activated.
        var first = (await worker.UpdateAsync("itemcf", gated))!.Manifest.Version;
        Assert.Equal(first, channel.ActiveVersion);
        Assert.Null(worker.Outcomes["itemcf"].GateRecall);

        // One event per user reaches the build: no co-occurrence, no neighbours, nothing recalled.
        time.Advance(TimeSpan.FromMinutes(1));
        var useless = new ModelUpdateSchedule { WindowMinutes = 60, GateMinutes = 5, GateMargin = 0.1, Parameters = new() { ["MaxHistoryPerUser"] = "1" } };
        var bad = (await worker.UpdateAsync("itemcf", useless))!.Manifest.Version;
        var rejected = worker.Outcomes["itemcf"];
        Assert.NotEqual(first, bad);
        Assert.Contains(provider.GetRequiredService<ChannelLifecycle>().Store.List("itemcf"), m => m.Version == bad); // published
        Assert.Equal(first, channel.ActiveVersion); // not activated
        Assert.True(rejected.Rejected);
        Assert.False(rejected.Activated);
        Assert.Equal(first, rejected.ServingVersion);
        Assert.Equal(80, rejected.GateUsers);
        Assert.True(rejected.ServingRecall > 0.9, $"serving recall {rejected.ServingRecall}");
        Assert.True(rejected.GateRecall < 0.1, $"candidate recall {rejected.GateRecall}");
        Assert.Equal(80 * 7, rejected.Events); // the slice is held out of the build
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1903).Message;
        Assert.Contains(bad, warning, StringComparison.Ordinal);
        Assert.Contains($"serving {first}", warning, StringComparison.Ordinal);

        // A good build on the same window passes (within the margin of the serving one) and is activated.
        time.Advance(TimeSpan.FromMinutes(1));
        var good = (await worker.UpdateAsync("itemcf", gated))!.Manifest.Version;
        var passed = worker.Outcomes["itemcf"];
        Assert.Equal(good, channel.ActiveVersion);
        Assert.False(passed.Rejected);
        Assert.True(passed.Activated);
        Assert.True(passed.GateRecall >= passed.ServingRecall * 0.9, $"candidate {passed.GateRecall} vs serving {passed.ServingRecall}");
        Assert.Contains(good, Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1904).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGateWithoutPinnedVersionsFailsBeforeBuilding()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(new() { ["RecFramework:Channels:itemcf:MaxPinnedVersions"] = "0" }, time);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var store = provider.GetRequiredService<ChannelLifecycle>().Store;
        await AppendClustersAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-30), time.GetUtcNow().AddMinutes(-2));
        var gated = new ModelUpdateSchedule { WindowMinutes = 60, GateMinutes = 5 };
        await worker.UpdateAsync("itemcf", gated); // nothing serves yet: no gate

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => worker.UpdateAsync("itemcf", gated));

        Assert.Contains("RecFramework:Channels:itemcf:MaxPinnedVersions is 0", ex.Message, StringComparison.Ordinal);
        Assert.Single(store.List("itemcf"));
    }

    [Fact]
    public async Task OfTwoWorkersOnOneStoreOnlyTheLeaseHolderBuildsAndTheOtherTakesOverAfterExpiry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        Dictionary<string, string?> Settings(string owner) => new()
        {
            ["RecFramework:Updates:LeaseSeconds"] = "900",
            ["RecFramework:Updates:LeaseOwner"] = owner,
        };
        await using var a = CreateServices(Settings("replica-a"), time);
        await using var b = CreateServices(Settings("replica-b"), time, "events-b.db");
        var workers = new[] { a.GetRequiredService<ModelUpdateWorker>(), b.GetRequiredService<ModelUpdateWorker>() };
        var logs = new[] { a.GetFakeLogCollector(), b.GetFakeLogCollector() };
        Assert.Equal("replica-a", workers[0].LeaseOwner);
        int Count(int worker, int eventId) => logs[worker].GetSnapshot().Count(r => r.Id.Id == eventId);
        var store = a.GetRequiredService<ChannelLifecycle>().Store;
        foreach (var provider in new[] { a, b })
        {
            // Each replica logs its own events here; both publish to the one artifact store.
            await AppendClustersAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-30), time.GetUtcNow().AddMinutes(-20));
        }

        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        try
        {
            // First period: one of them takes the lease and builds, the other leaves it.
            string Logs() => string.Join(" | ", Enumerable.Range(0, 2).SelectMany(w => logs[w].GetSnapshot().Select(r => $"{(w == 0 ? "a" : "b")} {r.Id.Id} {r.Message}")));
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(0, 1900) + Count(1, 1900) == 1 && Count(0, 1905) + Count(1, 1905) == 1, "the first period", Logs);
            var holder = Count(0, 1900) == 1 ? 0 : 1;
            var other = 1 - holder;
            Assert.Single(store.List("itemcf"));
            Assert.Contains(holder == 0 ? "replica-a" : "replica-b", logs[other].GetSnapshot().Single(r => r.Id.Id == 1905).Message, StringComparison.Ordinal);

            // Second period: the holder renews and builds again; the other still leaves it.
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(holder, 1900) == 2 && Count(other, 1905) == 2, "the second period");
            Assert.Equal(2, store.List("itemcf").Count);
            Assert.Equal(0, Count(other, 1900));

            // The holder stops; its lease (renewed at 12:20) lasts until 12:35, so at 12:30 nobody builds ...
            await workers[holder].StopAsync(CancellationToken.None);
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(other, 1905) == 3, "the third period");
            Assert.Equal(2, store.List("itemcf").Count);

            // ... and at 12:40 the other takes it over and builds.
            await AdvanceUntilAsync(time, TimeSpan.FromMinutes(10), () => Count(other, 1900) == 1, "the take-over");
            Assert.Equal(3, store.List("itemcf").Count);
            Assert.Contains(workers[other].LeaseOwner, File.ReadAllText(Path.Combine(_dir, "artifacts", "update-itemcf.lease")), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task UpdatesAreExportedAsMetrics()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices([], time);
        var factory = provider.GetRequiredService<IMeterFactory>();
        var runs = new List<(long Value, string Outcome)>();
        var durations = new List<double>();
        var gauges = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("recfw.update.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Assert.Equal("itemcf", Tag(tags, "channel"));
            lock (runs)
            {
                runs.Add((value, Tag(tags, "outcome")));
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            Assert.Equal("itemcf", Tag(tags, "channel"));
            lock (runs)
            {
                if (instrument.Name == "recfw.update.duration")
                {
                    durations.Add(value);
                }
                else
                {
                    gauges[instrument.Name] = value;
                }
            }
        });
        listener.Start();
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        Assert.Null(await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60 })); // empty log: skipped
        await AppendClustersAsync(provider.GetRequiredService<IEventStore>(), time.GetUtcNow().AddMinutes(-30), time.GetUtcNow().AddMinutes(-2));
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, GateMinutes = 5 });
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, Activate = false });
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, GateMinutes = 5, Parameters = new() { ["MaxHistoryPerUser"] = "1" } });
        listener.RecordObservableInstruments();

        Assert.Equal([(1L, "skipped"), (1L, "activated"), (1L, "published"), (1L, "rejected")], runs);
        Assert.Equal(3, durations.Count);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds(), gauges["recfw.update.last_success"]);
        Assert.Equal(80 * 7, gauges["recfw.update.examples"]);
        Assert.Equal(worker.Outcomes["itemcf"].GateRecall!.Value, gauges["recfw.update.gate_recall"]);
        Assert.True(gauges["recfw.update.serving_recall"] > 0.9);
        Assert.True(gauges["recfw.update.gate_recall"] < 0.1);
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return (string)tag.Value!;
            }
        }

        return "";
    }

    [Theory]
    [InlineData("RecFramework:Updates:Channels:itemcf:GateMinutes", "60", "GateMinutes (60) must be below WindowMinutes (60)")]
    [InlineData("RecFramework:Updates:Channels:itemcf:GateMargin", "1.5", "GateMargin")]
    [InlineData("RecFramework:Updates:LeaseSeconds", "5", "LeaseSeconds")]
    public void GateAndLeaseSettingsOutOfRangeAreRefused(string key, string value, string expected)
    {
        using var provider = CreateServices(new() { [key] = value }, new FakeTimeProvider());

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ModelUpdateOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
