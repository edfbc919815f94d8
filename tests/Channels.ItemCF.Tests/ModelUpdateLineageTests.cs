using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RecFramework.Lifecycle;
using RecFramework.Stores;

using static RecFramework.Channels.ItemCF.Tests.UpdateWorkerTestHost;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// The lineage guard: a periodic version whose update started from a version older than a full update activated since
/// is never activated after it. The order of completions is set by the test (publish-only, then activate), not by timing.
/// </summary>
public sealed class ModelUpdateLineageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-lineage-").FullName;

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

    [Fact]
    public async Task APeriodicVersionStartedBeforeAnActivatedFullOneStaysPublishedButInactive()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(_dir, time, []);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        using var runs = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), Diagnostics.RecallMetrics.MeterName, "recfw.update.runs");
        var events = provider.GetRequiredService<IEventStore>();
        var records = new List<EventRecord>();
        for (var user = 0; user < 30; user++)
        {
            var at = time.GetUtcNow().AddMinutes(-5).ToUnixTimeSeconds() + user;
            records.Add(new(new Interaction(user, 1 + (user % 3), InteractionType.Click, at)));
            records.Add(new(new Interaction(user, 10 + (user % 3), InteractionType.Click, at + 1)));
        }

        await events.AppendAsync(records);
        var periodic = new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0 };

        await worker.UpdateAsync("itemcf", periodic);                                   // v0001 serving
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0, Activate = false }); // v0002: started from v0001, finishes "late"
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.UpdateAsync("itemcf", periodic, full: true);                       // v0003: the full update, activated
        Assert.Equal("v0003", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);

        var late = lifecycle.Store.Open("itemcf", "v0002").Manifest;
        Assert.Equal("periodic", late.Properties[ModelUpdateWorker.UpdateKindProperty]);
        Assert.Equal("v0001", late.Properties[ModelUpdateWorker.UpdateBaseProperty]);
        Assert.Equal("2026-12-06T12:01:00.0000000Z", late.Properties[ModelUpdateWorker.UpdateStartedProperty]);
        Assert.Equal("full", lifecycle.Store.Open("itemcf", "v0003").Manifest.Properties[ModelUpdateWorker.UpdateKindProperty]);

        // The late periodic version completes after the full one: refused, logged naming both, counted; v0003 serves on.
        Assert.False(await worker.ActivateUpdateAsync("itemcf", "v0002"));
        Assert.Equal("v0003", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
        Assert.Equal("v0003", lifecycle.Store.ActiveVersion("itemcf"));
        Assert.Contains("v0002", lifecycle.Store.List("itemcf").Select(m => m.Version)); // still published
        var line = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1913);
        Assert.Contains("v0002 published but not activated", line.Message, StringComparison.Ordinal);
        Assert.Contains("from v0001", line.Message, StringComparison.Ordinal);
        Assert.Contains("full version v0003", line.Message, StringComparison.Ordinal);
        Assert.Contains(runs.GetMeasurementSnapshot(), m => m.Tags["outcome"] as string == "superseded" && m.Value == 1);

        // A periodic update that starts from the full version is activated, and so is a later one on its line.
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.UpdateAsync("itemcf", periodic);
        Assert.Equal("v0004", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
        Assert.Null(worker.Outcomes["itemcf"].SupersededBy);
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0, Activate = false }); // v0005 from v0004
        Assert.True(await worker.ActivateUpdateAsync("itemcf", "v0005"));
        Assert.Equal("v0005", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);

        // The version before the full one is still refused: its line never reaches v0003.
        Assert.False(await worker.ActivateUpdateAsync("itemcf", "v0002"));
        Assert.Equal("v0005", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);

        // A full version is never superseded.
        Assert.True(await worker.ActivateUpdateAsync("itemcf", "v0003"));
        Assert.Equal("v0003", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
    }
}
