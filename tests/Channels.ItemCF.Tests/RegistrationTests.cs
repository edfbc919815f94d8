using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.DependencyInjection;

namespace RecFramework.Channels.ItemCF.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Provider(string artifacts, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = artifacts };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddItemCFChannels().AddItemCFChannels();
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
        Assert.Equal(3, sp.GetRequiredService<IOptions<ItemCFOptions>>().Value.Neighbours);
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
        var channel = (ItemCFChannel)sp.GetRequiredKeyedService<IRecallChannel>("itemcf");
        await channel.ActivateAsync(handle, default);
        var reference = new ItemCFChannel(Options.Create(new ItemCFOptions()));
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
        var builder = new ItemCFBuilder(Options.Create(new ItemCFOptions()));
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
