using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;

namespace RecFramework.Tests.Lifecycle;

/// <summary>
/// <see cref="ChannelStartupOptions.CompactHeapAboveMb"/>: start-up ends with one compacting collection of every
/// generation when the heap is at least that big, logged with the heap and its free space before and after; a heap
/// below it, or a negative value, is left as it is.
/// </summary>
public sealed class StartupHeapCompactionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-compact-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task StartUpEndsWithOneCompactingCollectionOfEveryGenerationAndLogsIt()
    {
        var gen2Before = GC.CollectionCount(2);
        var (startup, logs) = await StartAsync(compact: "0");
        Assert.True(startup.Completed);
        Assert.Equal("done", startup.Stage);
        Assert.True(GC.CollectionCount(2) > gen2Before);

        var compacted = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1022);
        Assert.Equal(LogLevel.Information, compacted.Level);
        Assert.Contains("compacted the managed heap", compacted.Message, StringComparison.Ordinal);
        Assert.Contains("RecFramework:Startup:CompactHeapAboveMb", compacted.Message, StringComparison.Ordinal);

        // It comes after every channel is up, so nothing start-up allocated afterwards is left uncompacted.
        var records = logs.GetSnapshot();
        var finished = records.Select((r, i) => (r, i)).Single(x => x.r.Id.Id == 1017).i;
        var compactedAt = records.Select((r, i) => (r, i)).Single(x => x.r.Id.Id == 1022).i;
        Assert.True(compactedAt < finished, "the compaction is logged before start-up reports finished");
        Assert.DoesNotContain(records.Take(compactedAt), r => r.Message.StartsWith("Start-up finished", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-1")] // never
    [InlineData("1000000")] // a heap below a terabyte is left as it is
    public async Task ASmallerHeapOrANegativeThresholdIsLeftAsItIs(string compact)
    {
        var (startup, logs) = await StartAsync(compact);
        Assert.True(startup.Completed);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 1022);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1017);
    }

    private async Task<(ChannelStartupService Startup, FakeLogCollector Logs)> StartAsync(string? compact)
    {
        var events = new List<Interaction>();
        long t = 1_700_000_000;
        for (var u = 1; u <= 40; u++)
        {
            for (var i = 1; i <= 6; i++)
            {
                events.Add(new Interaction(u, (u * i) % 11 + 1, InteractionType.Click, t++));
            }
        }

        var data = new InteractionDataset("synthetic", [.. events]);
        var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = _root };
        if (compact is not null)
        {
            values["RecFramework:Startup:CompactHeapAboveMb"] = compact;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging());
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).UseStartupData(_ => data);
        var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<ChannelStartupService>();
        await startup.StartAsync(CancellationToken.None);
        return (startup, provider.GetFakeLogCollector());
    }
}
