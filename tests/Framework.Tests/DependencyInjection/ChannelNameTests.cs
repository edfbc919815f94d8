using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.DependencyInjection;

namespace RecFramework.Tests.DependencyInjection;

/// <summary>A channel has one name: its registration's. A Name property that disagrees fails start-up (and the CLI's validation).</summary>
public sealed class ChannelNameTests
{
    private static IRecBuilder Builder(ServiceCollection services) => services.AddRecFramework(new ConfigurationBuilder().Build());

    [Fact]
    public async Task ANamePropertyThatDisagreesWithTheRegistrationFailsAtStart()
    {
        var services = new ServiceCollection();
        Builder(services).AddChannel<OtherEchoChannel>("fresh"); // its Name says "echo"
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<RecFrameworkException>(() => provider.ValidateRecFrameworkAsync());

        Assert.Equal(RecError.InvalidConfiguration, error.Error);
        Assert.Contains("'fresh'", error.Message, StringComparison.Ordinal);
        Assert.Contains("reports Name 'echo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIssuesExampleOfThreeNamesFailsAtStartNamingBoth()
    {
        // AddChannel<T>("fresh") for a class whose Name and [RecallChannel] both say "scanned-echo".
        var services = new ServiceCollection();
        Builder(services).AddChannel<ScannedEchoChannel>("fresh");
        await using var provider = services.BuildServiceProvider();

        var startup = provider.GetRequiredService<RecFramework.Lifecycle.ChannelStartupService>();

        var error = await Assert.ThrowsAsync<RecFrameworkException>(() => startup.StartAsync(CancellationToken.None));

        Assert.Contains("'fresh'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scanned-echo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChannelThatReportsItsRegistrationNameStarts()
    {
        var services = new ServiceCollection();
        Builder(services).AddChannel<ScannedEchoChannel>("scanned-echo").AddChannel<OtherEchoChannel>("echo");
        await using var provider = services.BuildServiceProvider();

        await provider.ValidateRecFrameworkAsync();
    }
}
