using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;

namespace RecFramework.Host.Tests;

/// <summary>k, user id length, per-channel timeout and the whole-request deadline, end to end.</summary>
public sealed class RequestLimitTests
{
    [Theory]
    [InlineData("/recommend/123456789012345678901234?k=5", "has 24 characters; at most 20")]
    [InlineData("/recommend/12x?k=5", "userId '12x' is not a 64-bit integer")]
    [InlineData("/recommend/1?k=501", "k = 501 is outside [1, 500]")]
    [InlineData("/recommend/1?k=-3", "k = -3 is outside [1, 500]")]
    public async Task OutOfBoundsRequestsAreRejectedNamingTheValue(string url, string expected)
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings());
        await using var _ = app;

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredUserIdLimitApplies()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), new Dictionary<string, string?> { ["RecFramework:Service:MaxUserIdLength"] = "4" });
        await using var _ = app;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/recommend/1234?k=5", UriKind.Relative))).StatusCode);
        var response = await client.GetAsync(new Uri("/recommend/12345?k=5", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'1234…' has 5 characters; at most 4", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RecFramework:Channels:gate:TimeoutMs", "RecFramework:Pipeline:RequestTimeoutMs")]
    [InlineData("RecFramework:Pipeline:RequestTimeoutMs", "RecFramework:Channels:gate:TimeoutMs")]
    public async Task AChannelThatNeverAnswersIsCutOffByTheShorterOfItsTimeoutAndTheRequestDeadline(string shortKey, string longKey)
    {
        var gate = new GateChannel.Gate();
        // 3 s, not less: the call must have started before the shorter limit ends it, and on a loaded CI machine the
        // thread pool once took longer than 300 ms to start it (the channel was then reported timed out unentered).
        var settings = new Dictionary<string, string?> { [shortKey] = "3000", [longKey] = "60000" };
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), settings, builder =>
        {
            builder.Services.AddSingleton(gate);
            builder.Services.AddRecFramework(builder.Configuration).AddChannel<GateChannel>(GateChannel.ChannelName);
        });
        await using var _ = app;

        var response = await client.GetAsync(new Uri("/recommend/1?k=5", UriKind.Relative));

        // The gate never opens: only a timeout can end the call, and the request still answers.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var outcome = json.RootElement.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == GateChannel.ChannelName);
        Assert.Equal("TimedOut", outcome.GetProperty("status").GetString());
        Assert.True(gate.Entered.Task.IsCompleted);
    }
}
