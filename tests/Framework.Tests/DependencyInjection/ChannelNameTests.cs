using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.DependencyInjection;

namespace RecFramework.Tests.DependencyInjection;

/// <summary>A channel has one name: its registration's. A Name property or attribute that disagrees fails early.</summary>
public sealed class ChannelNameTests
{
    private static IRecBuilder Builder(ServiceCollection services) => services.AddRecFramework(new ConfigurationBuilder().Build());

    [Fact]
    public async Task ANamePropertyThatDisagreesWithTheRegistrationFailsAtStart()
    {
        var services = new ServiceCollection();
        Builder(services).AddChannel<OtherEchoChannel>("fresh"); // its Name says "echo"
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.ValidateRecFrameworkAsync());

        var failure = Assert.Single(error.Failures, f => f.Contains("'fresh'", StringComparison.Ordinal));
        Assert.Contains("reports Name 'echo'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIssuesExampleOfThreeNamesFailsAtStartNamingBoth()
    {
        // AddChannel<T>("fresh") for a class whose Name and [RecallChannel] both say "scanned-echo".
        var services = new ServiceCollection();
        Builder(services).AddChannel<ScannedEchoChannel>("fresh");
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.ValidateRecFrameworkAsync());

        Assert.Contains(error.Failures, f => f.Contains("'fresh'", StringComparison.Ordinal) && f.Contains("'scanned-echo'", StringComparison.Ordinal));
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
