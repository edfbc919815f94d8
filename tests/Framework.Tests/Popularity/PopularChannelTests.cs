using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using Microsoft.Extensions.Options;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Popularity;

public sealed class PopularChannelTests
{
    [Fact]
    public async Task BuildsPublishesActivatesAndRecallsPopularItems()
    {
        using var services = PipelineFixture.Build(PipelineFixture.Settings());
        Interaction[] log =
        [
            new(1, 10, InteractionType.Click, 1), new(2, 10, InteractionType.Click, 2), new(3, 10, InteractionType.Like, 3),
            new(1, 20, InteractionType.Click, 4), new(2, 20, InteractionType.Click, 5),
            new(1, 30, InteractionType.Click, 6),
            new(1, 40, InteractionType.Impression, 7), new(2, 40, InteractionType.Impression, 8), new(3, 40, InteractionType.Impression, 9),
        ];
        var store = services.GetRequiredService<IArtifactStore>();
        var builder = services.GetRequiredKeyedService<IChannelBuilder>("popular");

        var handle = await builder.BuildAsync(new ChannelBuildContext { Channel = "popular", Data = new InteractionDataset("unit", log), Store = store }, default);
        var channel = services.GetRequiredKeyedService<IRecallChannel>("popular");
        await ((IArtifactChannel)channel).ActivateAsync(store.Open("popular", handle.Manifest.Version), default);
        var result = await channel.RecallAsync(new RecallRequest { UserId = 3, K = 2, Exclude = new HashSet<long> { 10 } }, default);

        Assert.Equal([20L, 30L], result.Items.Select(i => i.ItemId));
        Assert.Equal(2f, result.Items[0].Score);
        Assert.Equal("v0001", result.Version);
        Assert.Equal(1, handle.Manifest.DataFrom);
        Assert.Equal(9, handle.Manifest.DataTo);
    }

    [Fact]
    public async Task CorruptPopularityFileIsReportedWithLine()
    {
        using var services = PipelineFixture.Build(PipelineFixture.Settings());
        var store = services.GetRequiredService<IArtifactStore>();
        var draft = store.CreateDraft("popular");
        await File.WriteAllTextAsync(draft.PathOf("popularity.tsv"), "10\t3\nbanana\n");
        var handle = store.Publish(draft, new ArtifactManifest { Channel = "popular", Version = draft.Version });
        var channel = (IArtifactChannel)services.GetRequiredKeyedService<IRecallChannel>("popular");

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => channel.ActivateAsync(handle, default).AsTask());

        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("popularity.tsv:2", ex.Message, StringComparison.Ordinal);
        Assert.Null(channel.ActiveVersion);
    }

    [Theory]
    [InlineData(null, null, 50)]
    [InlineData("120", null, 120)]
    [InlineData(null, "80", 80)]
    public void ItsDefaultQuotaIsOneAnswerAndConfigurationStillWins(string? own, string? defaults, int expected)
    {
        var values = new Dictionary<string, string?>();
        if (own is not null)
        {
            values["RecFramework:Channels:popular:Quota"] = own;
        }

        if (defaults is not null)
        {
            values["RecFramework:ChannelDefaults:Quota"] = defaults;
        }

        var services = new ServiceCollection();
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ChannelOptions>>();
        Assert.Equal(expected, options.Get("popular").Quota);
        Assert.Equal(200, options.Get("other").Quota);
    }
}
