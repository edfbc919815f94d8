using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Popularity;

namespace RecFramework.Tests.DependencyInjection;

public sealed class AddRecFrameworkTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void ScanningRegistersEveryAttributedChannelByName()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config()).AddChannelsFrom(typeof(AddRecFrameworkTests).Assembly);
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<ChannelCatalog>();
        Assert.Contains("popular", catalog.Names);
        Assert.Contains("scanned-echo", catalog.Names);
        Assert.DoesNotContain("echo", catalog.Names); // OtherEchoChannel has no attribute: not scanned
        Assert.IsType<ScannedEchoChannel>(provider.GetRequiredKeyedService<IRecallChannel>("scanned-echo"));
        Assert.Same(provider.GetRequiredKeyedService<IRecallChannel>("scanned-echo"), provider.GetRequiredKeyedService<IRecallChannel>("scanned-echo"));
    }

    [Fact]
    public void IsSafeToCallTwice()
    {
        var services = new ServiceCollection();
        var configuration = Config();
        services.AddRecFramework(configuration).AddChannelsFrom(typeof(AddRecFrameworkTests).Assembly);
        var count = services.Count;
        services.AddRecFramework(configuration).AddChannelsFrom(typeof(AddRecFrameworkTests).Assembly);

        Assert.Equal(count, services.Count);
        using var provider = services.BuildServiceProvider();
        var names = provider.GetRequiredService<ChannelCatalog>().Names;
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Contains("scanned-echo", names);
    }

    [Fact]
    public void RejectsTwoTypesUnderOneName()
    {
        var builder = new ServiceCollection().AddRecFramework(Config());
        builder.AddChannel<ScannedEchoChannel>("echo");

        var ex = Assert.Throws<RecFrameworkException>(() => builder.AddChannel<OtherEchoChannel>("echo"));
        Assert.Contains("'echo' is registered twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Two_Tower")]
    [InlineData("two tower")]
    [InlineData("-x")]
    public void RejectsNamesThatAreNotLowerKebab(string name)
    {
        var builder = new ServiceCollection().AddRecFramework(Config());

        var ex = Assert.Throws<RecFrameworkException>(() => builder.AddChannel<ScannedEchoChannel>(name));
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BindsChannelOptionsByName()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config(("RecFramework:Channels:scanned-echo:Quota", "17"), ("RecFramework:Channels:scanned-echo:Parameters:depth", "3")))
            .AddChannelsFrom(typeof(AddRecFrameworkTests).Assembly);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ChannelOptions>>().Get("scanned-echo");
        Assert.Equal(17, options.Quota);
        Assert.Equal("3", options.Parameters["depth"]);
    }

    [Fact]
    public async Task StartupValidationNamesEveryBadEntry()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config(
            ("RecFramework:Channels:ghost:Quota", "5"),
            ("RecFramework:Channels:popular:Quota", "0"),
            ("RecFramework:Pipeline:FallbackChannel", "nobody")));
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => provider.ValidateRecFrameworkAsync());
        var messages = ex is AggregateException agg ? string.Join("\n", agg.Flatten().InnerExceptions.Select(e => e.Message)) : ex.Message;
        Assert.Contains("RecFramework:Channels:ghost", messages, StringComparison.Ordinal);
        Assert.Contains("FallbackChannel = 'nobody'", messages, StringComparison.Ordinal);
        Assert.Contains("Quota", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidConfigurationPassesStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config(("RecFramework:Channels:popular:Quota", "10")));
        await using var provider = services.BuildServiceProvider();

        await provider.ValidateRecFrameworkAsync();
        Assert.NotNull(provider.GetRequiredService<RecallPipeline>());
    }

    [Fact]
    public async Task MovedSectionsFailAtStartNamingTheirNewKeys()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config(("Experiments:BucketCount", "100"), ("RecFramework:Channels:popular:TwoTower:Epochs", "2")));
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.ValidateRecFrameworkAsync());
        Assert.Contains(ex.Failures, f => f.Contains("move it to RecFramework:Experiments", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("RecFramework:Channels:popular:TwoTower is no longer read: move it to RecFramework:Channels:popular:Options", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PopularEntryPointRegistersUnderACustomName()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Config()).AddPopularChannel("trending").AddPopularChannel("trending");
        await using var provider = services.BuildServiceProvider();

        await provider.ValidateRecFrameworkAsync();
        Assert.Equal(["popular", "trending"], provider.GetRequiredService<ChannelCatalog>().Names);
        Assert.Equal("trending", provider.GetRequiredKeyedService<IRecallChannel>("trending").Name);
        Assert.Equal("popular", provider.GetRequiredKeyedService<IRecallChannel>("popular").Name);
        Assert.NotNull(provider.GetRequiredKeyedService<IChannelBuilder>("trending"));
    }
}

[RecallChannel("scanned-echo")]
internal sealed class ScannedEchoChannel : IRecallChannel
{
    public string Name => "scanned-echo";

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new RecallResult(request.History.Select(h => new ScoredItem(h.ItemId, 1)).ToArray()));
}

internal sealed class OtherEchoChannel : IRecallChannel
{
    public string Name => "echo";

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(RecallResult.Empty);
}
