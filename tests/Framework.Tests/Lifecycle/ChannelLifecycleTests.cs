using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Popularity;
using RecFramework.Stores;

namespace RecFramework.Tests.Lifecycle;

public sealed class ChannelLifecycleTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-lifecycle-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ServiceProvider Services(Action<IRecBuilder>? configure = null, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = _root };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        var builder = services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static InteractionDataset Data(int items = 5)
    {
        var events = new List<Interaction>();
        long t = 1;
        for (var u = 1; u <= 20; u++)
        {
            for (var i = 1; i <= items; i++)
            {
                if ((u + i) % 3 != 0)
                {
                    events.Add(new Interaction(u, i, InteractionType.Click, t++));
                }
            }
        }

        return new InteractionDataset("lifecycle-test", [.. events]);
    }

    [Fact]
    public async Task BuildsActivatesAndReopensTheLatestVersion()
    {
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();

        var first = await lifecycle.BuildAndActivateAsync("popular", Data());
        var second = await lifecycle.BuildAsync("popular", Data(items: 7));

        Assert.Equal(first.Manifest.Version, lifecycle.ArtifactChannel("popular")!.ActiveVersion);
        Assert.Equal(second.Manifest.Version, await lifecycle.ActivateVersionAsync("popular", null));
        Assert.Equal(first.Manifest.Version, await lifecycle.ActivateVersionAsync("popular", first.Manifest.Version, offThreadPool: true));
        Assert.NotEqual(first.Manifest.Version, second.Manifest.Version);
    }

    [Fact]
    public async Task BringUpBuildsWhatIsMissingOpensWhatIsPublishedAndSkipsWithoutData()
    {
        await using (var empty = Services())
        {
            var skipped = await empty.GetRequiredService<ChannelLifecycle>().BringUpAsync("popular", data: null, buildMissing: true);
            Assert.Equal(ChannelBringUpOutcome.Skipped, skipped.Outcome);
            Assert.Contains("no data", skipped.Reason, StringComparison.Ordinal);
        }

        await using (var building = Services())
        {
            var built = await building.GetRequiredService<ChannelLifecycle>().BringUpAsync("popular", Data(), buildMissing: true);
            Assert.Equal(ChannelBringUpOutcome.Built, built.Outcome);
            Assert.Equal("v0001", built.Version);
        }

        await using var reopening = Services();
        var opened = await reopening.GetRequiredService<ChannelLifecycle>().BringUpAsync("popular", Data(), buildMissing: true);
        Assert.Equal(ChannelBringUpOutcome.Opened, opened.Outcome);
        Assert.Equal("v0001", opened.Version);
    }

    [Fact]
    public async Task UnknownChannelsAndChannelsWithoutBuildersAreNamedInTheError()
    {
        await using var provider = Services();
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();

        var unknown = await Assert.ThrowsAsync<RecFrameworkException>(() => lifecycle.BuildAsync("no-such", Data()));
        Assert.Equal(RecError.UnknownChannel, unknown.Error);
        Assert.Contains("'no-such'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("popular", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<RecFrameworkException>(() => lifecycle.ArtifactChannel("no-such"));
    }

    [Fact]
    public async Task HostedStartupSeedsTheStoresFromDataGivenInCodeAndBringsChannelsUp()
    {
        await using var provider = Services(b => b.UseStartupData(_ => Data()));
        var startup = provider.GetServices<IHostedService>().OfType<ChannelStartupService>().Single();

        await startup.StartAsync(CancellationToken.None);

        Assert.True(startup.Completed);
        Assert.Null(startup.Current);
        var popular = Assert.Single(startup.Outcomes, o => o.Channel == "popular");
        Assert.Equal(ChannelBringUpOutcome.Built, popular.Outcome);
        Assert.NotEmpty(await provider.GetRequiredService<IUserHistoryStore>().GetRecentAsync(1, 10));
    }

    [Fact]
    public async Task HostedStartupCanBeSwitchedOff()
    {
        await using var provider = Services(b => b.UseStartupData(_ => throw new InvalidOperationException("must not load")),
            new Dictionary<string, string?> { ["RecFramework:Startup:Enabled"] = "false" });
        var startup = provider.GetRequiredService<ChannelStartupService>();

        await startup.StartAsync(CancellationToken.None);

        Assert.True(startup.Completed);
        Assert.Empty(startup.Outcomes);
    }

    [Fact]
    public async Task HostedStartupSkipsADisabledChannelNoPlanCanReach()
    {
        await using var provider = Services(b => b.UseStartupData(_ => Data()).AddPopularChannel("trending"),
            new Dictionary<string, string?> { ["RecFramework:Channels:trending:Enabled"] = "false" });
        var startup = provider.GetRequiredService<ChannelStartupService>();

        await startup.StartAsync(CancellationToken.None);

        var trending = Assert.Single(startup.Outcomes, o => o.Channel == "trending");
        Assert.Equal(ChannelBringUpOutcome.Unreachable, trending.Outcome);
        Assert.Contains("Enabled = false", trending.Reason, StringComparison.Ordinal);
        Assert.Null(provider.GetRequiredService<ChannelLifecycle>().ArtifactChannel("trending")!.ActiveVersion);
        Assert.Equal(ChannelBringUpOutcome.Built, Assert.Single(startup.Outcomes, o => o.Channel == "popular").Outcome);
    }

    [Fact]
    public async Task HostedStartupCanLeaveTheStoresUnseededAndMissingVersionsUnbuilt()
    {
        await using var provider = Services(b => b.UseStartupData(_ => Data()),
            new Dictionary<string, string?> { ["RecFramework:Startup:SeedStores"] = "false", ["RecFramework:Startup:BuildMissing"] = "false" });
        var startup = provider.GetRequiredService<ChannelStartupService>();

        await startup.StartAsync(CancellationToken.None);

        Assert.Empty(await provider.GetRequiredService<IUserHistoryStore>().GetRecentAsync(1, 10));
        var popular = Assert.Single(startup.Outcomes, o => o.Channel == "popular");
        Assert.Equal(ChannelBringUpOutcome.Skipped, popular.Outcome);
        Assert.Contains("building missing versions is off", popular.Reason, StringComparison.Ordinal);
    }
}
