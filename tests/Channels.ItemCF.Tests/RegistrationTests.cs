using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.DependencyInjection;
using RecFramework.Popularity;

namespace RecFramework.Channels.ItemCF.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Provider(string artifacts, params (string Key, string Value)[] settings) =>
        Provider(artifacts, rec => rec.AddItemCFChannel().AddSwingChannel().AddUserCFChannel(), settings);

    private static ServiceProvider Provider(string artifacts, Action<IRecBuilder> channels, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = artifacts };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        var builder = services.AddRecFramework(configuration);
        channels(builder);
        channels(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task RegistersThreeChannelsAndBuildersByName()
    {
        using var dir = new TempDirectory();
        await using var sp = Provider(dir.Path, ("RecFramework:Channels:itemcf:Options:Neighbours", "3"));
        await sp.ValidateRecFrameworkAsync();
        var catalog = sp.GetRequiredService<RecFramework.Channels.ChannelCatalog>();
        Assert.Contains("itemcf", catalog.Names);
        Assert.Contains("swing", catalog.Names);
        Assert.Contains("usercf", catalog.Names);
        Assert.Equal(3, sp.GetRequiredService<IOptionsMonitor<ItemCFOptions>>().Get("itemcf").Neighbours);
        var store = sp.GetRequiredService<IArtifactStore>();
        var data = TestData.Random(50, 30, 8, seed: 3);
        foreach (var name in new[] { "itemcf", "swing", "usercf" })
        {
            var builder = sp.GetRequiredKeyedService<IChannelBuilder>(name);
            var handle = await builder.BuildAsync(TestData.Context(name, data, store), default);
            var channel = sp.GetRequiredKeyedService<IRecallChannel>(name);
            Assert.Equal(name, channel.Name);
            await ((IArtifactChannel)channel).ActivateAsync(handle, default);
            var result = await channel.RecallAsync(new RecallRequest { UserId = data[0].UserId, K = 5 }, default);
            Assert.Equal(handle.Manifest.Version, result.Version);
            Assert.NotEmpty(result.Items);
            Assert.True(result.Items.Count <= 5);
            Assert.Equal(result.Items.OrderByDescending(i => i.Score).Select(i => i.ItemId), result.Items.Select(i => i.ItemId));
        }
    }

    [Fact]
    public async Task TwoItemCFChannelsKeepTheirOwnOptionsInOneService()
    {
        using var dir = new TempDirectory();
        await using var sp = Provider(
            dir.Path,
            rec => rec.AddItemCFChannel("itemcf-short").AddItemCFChannel("itemcf-long"),
            ("RecFramework:Channels:itemcf-short:Options:Neighbours", "1"),
            ("RecFramework:Channels:itemcf-short:Options:LastN", "1"),
            ("RecFramework:Channels:itemcf-long:Options:Neighbours", "20"),
            ("RecFramework:Channels:itemcf-long:Options:LastN", "50"));
        await sp.ValidateRecFrameworkAsync();
        var catalog = sp.GetRequiredService<RecFramework.Channels.ChannelCatalog>();
        Assert.Equal(["itemcf-long", "itemcf-short", "popular"], catalog.Names);
        Assert.Equal(2, catalog.Registrations.Count(r => r.ChannelType == typeof(NeighbourhoodChannel<ItemCFOptions>)));

        var store = sp.GetRequiredService<IArtifactStore>();
        var data = TestData.Random(60, 40, 10, seed: 5);
        var answers = new Dictionary<string, IReadOnlyList<ScoredItem>>();
        foreach (var name in new[] { "itemcf-short", "itemcf-long" })
        {
            var handle = await sp.GetRequiredKeyedService<IChannelBuilder>(name).BuildAsync(TestData.Context(name, data, store), default);
            Assert.Equal(name, handle.Manifest.Channel);
            var channel = (NeighbourhoodChannel<ItemCFOptions>)sp.GetRequiredKeyedService<IRecallChannel>(name);
            Assert.Equal(name, channel.Name);
            await channel.ActivateAsync(store.Open(name), default);
            var index = CsrFile.Read(handle.PathOf(CfArtifact.NeighboursFile));
            var most = Enumerable.Range(0, index.RowCount).Max(r => index.ColumnsOf(r).Length);
            Assert.Equal(name == "itemcf-short" ? 1 : 20, channel.ConfiguredOptions.Neighbours);
            Assert.True(name == "itemcf-short" ? most == 1 : most > 1, $"{name}: longest neighbour list {most}");
            answers[name] = (await channel.RecallAsync(new RecallRequest { UserId = data[0].UserId, K = 30 }, default)).Items.ToArray();
        }

        Assert.NotEmpty(answers["itemcf-short"]);
        Assert.True(answers["itemcf-long"].Count > answers["itemcf-short"].Count, $"long {answers["itemcf-long"].Count} vs short {answers["itemcf-short"].Count}");
    }

    [Fact]
    public async Task EachEntryPointRegistersUnderACustomName()
    {
        using var dir = new TempDirectory();
        await using var sp = Provider(
            dir.Path,
            rec => rec.AddSwingChannel("swing-wide").AddUserCFChannel("usercf-few").AddPopularChannel("trending"),
            ("RecFramework:Channels:swing-wide:Options:Alpha", "5"),
            ("RecFramework:Channels:usercf-few:Options:Neighbours", "3"));
        await sp.ValidateRecFrameworkAsync();
        Assert.Equal(["popular", "swing-wide", "trending", "usercf-few"], sp.GetRequiredService<RecFramework.Channels.ChannelCatalog>().Names);
        Assert.Equal(5, sp.GetRequiredService<IOptionsMonitor<SwingOptions>>().Get("swing-wide").Alpha);
        Assert.Equal(3, sp.GetRequiredService<IOptionsMonitor<UserCFOptions>>().Get("usercf-few").Neighbours);
        var store = sp.GetRequiredService<IArtifactStore>();
        var data = TestData.Random(50, 30, 8, seed: 3);
        foreach (var name in new[] { "swing-wide", "usercf-few", "trending" })
        {
            var handle = await sp.GetRequiredKeyedService<IChannelBuilder>(name).BuildAsync(TestData.Context(name, data, store), default);
            Assert.Equal(name, handle.Manifest.Channel);
            var channel = sp.GetRequiredKeyedService<IRecallChannel>(name);
            Assert.Equal(name, channel.Name);
            await ((IArtifactChannel)channel).ActivateAsync(handle, default);
            var result = await channel.RecallAsync(new RecallRequest { UserId = data[0].UserId, K = 5 }, default);
            Assert.Equal(handle.Manifest.Version, result.Version);
            Assert.NotEmpty(result.Items);
        }

        Assert.Contains("\"Neighbours\":3", store.Open("usercf-few").Manifest.Properties["options"], StringComparison.Ordinal);
        Assert.Contains("\"Alpha\":5", store.Open("swing-wide").Manifest.Properties["options"], StringComparison.Ordinal);
    }

    [Fact]
    public void OneNameCannotServeTwoChannelKinds()
    {
        var services = new ServiceCollection();
        var builder = services.AddRecFramework(new ConfigurationBuilder().Build()).AddItemCFChannel("cf");
        var ex = Assert.Throws<RecFrameworkException>(() => builder.AddSwingChannel("cf"));
        Assert.Contains("'cf'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOptionsFailAtStartNamingTheField()
    {
        using var dir = new TempDirectory();
        await using var sp = Provider(dir.Path, ("RecFramework:Channels:swing:Options:Alpha", "-1"));
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => sp.ValidateRecFrameworkAsync());
        Assert.Contains(ex.Failures, f => f.Contains("Alpha", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidNeighbourStoreSettingsFailAtStartNamingTheValue()
    {
        using var dir = new TempDirectory();
        await using var timeout = Provider(dir.Path, ("RecFramework:Channels:itemcf:Options:NeighbourPublishTimeoutSeconds", "0"));
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => timeout.ValidateRecFrameworkAsync());
        Assert.Contains(ex.Failures, f => f.Contains("NeighbourPublishTimeoutSeconds", StringComparison.Ordinal));

        await using var source = Provider(dir.Path, ("RecFramework:Channels:usercf:Options:NeighbourSource", "Redis"));
        var bad = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => source.ValidateRecFrameworkAsync());
        Assert.Contains("'Redis'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("NeighbourSource", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreSourceResolvesTheRegisteredStoreAndKeepsResults()
    {
        using var dir = new TempDirectory();
        await using var sp = Provider(dir.Path, ("RecFramework:Channels:itemcf:Options:NeighbourSource", "Store"));
        await sp.ValidateRecFrameworkAsync();
        var data = TestData.Random(50, 30, 8, seed: 3);
        var handle = await sp.GetRequiredKeyedService<IChannelBuilder>("itemcf").BuildAsync(TestData.Context("itemcf", data, sp.GetRequiredService<IArtifactStore>()), default);
        var channel = (NeighbourhoodChannel<ItemCFOptions>)sp.GetRequiredKeyedService<IRecallChannel>("itemcf");
        await channel.ActivateAsync(handle, default);
        var reference = new NeighbourhoodChannel<ItemCFOptions>("itemcf", new ItemCFOptions());
        await reference.ActivateAsync(handle, default);

        Assert.True(channel.PublishedLastActivation);
        Assert.True(await sp.GetRequiredService<RecFramework.Stores.INeighbourListStore>().IsPublishedAsync("itemcf", handle.Manifest.Version));
        var request = new RecallRequest { UserId = data[0].UserId, K = 5 };
        Assert.Equal((await reference.RecallAsync(request, default)).Items, (await channel.RecallAsync(request, default)).Items);
    }

    [Fact]
    public async Task BuildParametersOverrideOptionsAndUnknownOnesAreRejected()
    {
        using var dir = new TempDirectory();
        var store = new FileArtifactStore(dir.Path);
        var data = TestData.Random(50, 30, 8, seed: 3);
        var builder = new NeighbourhoodBuilder<ItemCFOptions>(new ItemCFOptions());
        var handle = await builder.BuildAsync(TestData.Context("itemcf", data, store, parameters: new() { ["neighbours"] = "2" }), default);
        var index = CsrFile.Read(handle.PathOf(CfArtifact.NeighboursFile));
        Assert.All(Enumerable.Range(0, index.RowCount), r => Assert.True(index.ColumnsOf(r).Length <= 2));
        Assert.Contains("\"Neighbours\":2", handle.Manifest.Properties["options"], StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<RecFrameworkException>(() => builder.BuildAsync(TestData.Context("itemcf", data, store, parameters: new() { ["neighbors"] = "2" }), default));
        Assert.Contains("neighbors", unknown.Message, StringComparison.Ordinal);
        var invalid = await Assert.ThrowsAsync<RecFrameworkException>(() => builder.BuildAsync(TestData.Context("itemcf", data, store, parameters: new() { ["LastN"] = "0" }), default));
        Assert.Equal(RecError.InvalidConfiguration, invalid.Error);
        Assert.Contains("LastN", invalid.Message, StringComparison.Ordinal);
    }
}
