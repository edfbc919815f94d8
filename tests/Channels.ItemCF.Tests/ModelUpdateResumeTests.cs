using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RecFramework.Lifecycle;
using RecFramework.Stores;

using static RecFramework.Channels.ItemCF.Tests.UpdateWorkerTestHost;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>Periodic updates that resume from the event-log position the serving version consumed (SQLite log, fake clock).</summary>
public sealed class ModelUpdateResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-resume-").FullName;

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

    private static Task AppendAsync(IEventStore events, DateTimeOffset at, int firstUser, int users)
    {
        var records = new List<EventRecord>();
        for (var user = firstUser; user < firstUser + users; user++)
        {
            records.Add(new(new Interaction(user, 1 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + (user - firstUser))));
            records.Add(new(new Interaction(user, 10 + (user % 3), InteractionType.Click, at.ToUnixTimeSeconds() + (user - firstUser) + 1)));
        }

        return events.AppendAsync(records).AsTask();
    }

    [Fact]
    public async Task AResumedUpdateTrainsOnEveryEventWrittenSinceTheServingVersionLateOnesIncludedAndNoneTwice()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var provider = CreateServices(_dir, time, []);
        var worker = provider.GetRequiredService<ModelUpdateWorker>();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        var events = provider.GetRequiredService<IEventStore>();
        var resume = new ModelUpdateSchedule { WindowMinutes = 60, ResumeFromLog = true, KeepVersions = 0 };

        await AppendAsync(events, time.GetUtcNow().AddMinutes(-5), firstUser: 0, users: 30);
        await worker.UpdateAsync("itemcf", resume); // nothing serves yet: the clock window
        Assert.Equal(60, worker.Outcomes["itemcf"].Events);
        Assert.Equal("60", lifecycle.Store.Open("itemcf", "v0001").Manifest.Properties[ModelUpdateWorker.EventLogSequenceProperty]);

        // Written now but stamped two hours back, before any clock window of the next update would start.
        time.Advance(TimeSpan.FromMinutes(10));
        await AppendAsync(events, time.GetUtcNow().AddHours(-2), firstUser: 100, users: 20);
        await worker.UpdateAsync("itemcf", resume);
        Assert.Equal("v0002", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
        Assert.Equal(40, worker.Outcomes["itemcf"].Events); // the late events, and not the 60 trained before
        Assert.Equal("100", lifecycle.Store.Open("itemcf", "v0002").Manifest.Properties[ModelUpdateWorker.EventLogSequenceProperty]);
        Assert.Contains(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1914 && r.Message.Contains("after sequence 60", StringComparison.Ordinal) && r.Message.Contains("v0001", StringComparison.Ordinal));

        // Nothing written since: skipped, nothing built.
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await worker.UpdateAsync("itemcf", resume));
        Assert.Equal(2, lifecycle.Store.ListAll("itemcf").Count);

        // The clock window, for contrast, misses the late events and retrains the others.
        await worker.UpdateAsync("itemcf", new ModelUpdateSchedule { WindowMinutes = 60, KeepVersions = 0 });
        Assert.Equal(60, worker.Outcomes["itemcf"].Events);
    }

    [Fact]
    public async Task ResumingWithAGateIsRefusedNamingTheChannel()
    {
        await using var provider = CreateServices(_dir, new FakeTimeProvider(), new()
        {
            ["RecFramework:Updates:Channels:itemcf:ResumeFromLog"] = "true",
            ["RecFramework:Updates:Channels:itemcf:GateMinutes"] = "5",
        });
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ModelUpdateOptions>>().Value);
        Assert.Contains("Channels:itemcf: ResumeFromLog needs GateMinutes = 0 (got 5)", ex.Message, StringComparison.Ordinal);
    }
}
