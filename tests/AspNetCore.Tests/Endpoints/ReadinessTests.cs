using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Popularity;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary><c>/ready</c> through an app built from the packages, with start-up in the background and in the foreground.</summary>
public sealed class ReadinessTests
{
    private static InteractionDataset Data()
    {
        var events = new List<Interaction>();
        long t = 1_700_000_000;
        for (var u = 1; u <= 30; u++)
        {
            for (var i = 1; i <= 5; i++)
            {
                events.Add(new Interaction(u, (u + i) % 12 + 1, InteractionType.Click, t++));
            }
        }

        return new InteractionDataset("readiness", [.. events]);
    }

    [Fact]
    public async Task InTheBackgroundTheServerAnswersAtOnceAndReadyNamesTheStageUntilChannelsAreUp()
    {
        var gate = new ManualResetEventSlim();
        await using var service = await ServiceUnderTest.StartAsync(
            new Dictionary<string, string?> { ["RecFramework:Startup:Background"] = "true" },
            configure: b => b.Services.AddRecFramework(b.Configuration).UseStartupData(_ =>
            {
                gate.Wait(TimeSpan.FromMinutes(1));
                return Data();
            }));

        // Start-up is blocked in loading its data, yet the server answers.
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        var starting = await service.Client.GetAsync(new Uri("/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        using (var body = JsonDocument.Parse(await starting.Content.ReadAsStringAsync()))
        {
            Assert.Equal("starting", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("loading the start-up data", body.RootElement.GetProperty("stage").GetString());
            Assert.Contains("popular", body.RootElement.GetProperty("waiting").EnumerateArray().Select(e => e.GetString()));
        }

        gate.Set();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        HttpResponseMessage ready;
        do
        {
            await Task.Delay(50);
            ready = await service.Client.GetAsync(new Uri("/ready", UriKind.Relative));
        }
        while (ready.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/recommend/1?k=3", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task InTheForegroundTheServiceIsReadyWhenItStartsAndListsUnreachableChannels()
    {
        await using var service = await ServiceUnderTest.StartAsync(
            new Dictionary<string, string?> { ["RecFramework:Channels:trending:Enabled"] = "false" },
            configure: b => b.Services.AddRecFramework(b.Configuration).UseStartupData(_ => Data()).AddPopularChannel("trending"));

        var ready = await service.Client.GetAsync(new Uri("/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(["trending"], body.RootElement.GetProperty("unreachable").EnumerateArray().Select(e => e.GetString()));
    }
}
