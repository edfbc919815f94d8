using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Lifecycle;
using RecFramework.Pipeline;

namespace RecFramework.Host.Tests;

/// <summary>
/// Issue 17 item 4: the matrix-completion channel in the real service. The Host registers it disabled in the default
/// plan; enabled by configuration it is built at start-up from the data set, answers known users through
/// <c>GET /recommend</c>, answers an unknown user with nothing (the cold-start fallback serves them) and serves a
/// version a request pins beside the serving one.
/// </summary>
public sealed class MatrixCompletionServiceTests
{
    private const string Channel = "matrix-completion";

    [Fact]
    public async Task EnabledMatrixCompletionIsBuiltServedAndPinnable()
    {
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-matrix-completion", Guid.NewGuid().ToString("N"));
        var settings = SmallCatalog.Settings(root);
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["RecFramework:Channels:swing:Enabled"] = "false",
            ["RecFramework:Channels:usercf:Enabled"] = "false",
            ["RecFramework:Channels:two-tower:Enabled"] = "false",
            [$"RecFramework:Channels:{Channel}:Enabled"] = "true",
            [$"RecFramework:Channels:{Channel}:Options:Dimension"] = "16",
            [$"RecFramework:Channels:{Channel}:Options:Epochs"] = "3",
        })
        {
            settings[key] = value;
        }

        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data), settings);
        await using (app)
        {
            var lifecycle = app.Services.GetRequiredService<ChannelLifecycle>();
            Assert.Equal("v0001", lifecycle.ArtifactChannel(Channel)!.ActiveVersion);

            var contributed = 0;
            for (var user = 1; user <= 20; user++)
            {
                using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/recommend/{user}?k=20", UriKind.Relative)));
                var outcome = json.RootElement.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == Channel);
                Assert.Equal("Ok", outcome.GetProperty("status").GetString());
                Assert.Equal("v0001", outcome.GetProperty("version").GetString());
                contributed += json.RootElement.GetProperty("items").EnumerateArray()
                    .Count(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == Channel));
            }

            Assert.True(contributed > 0, "matrix completion contributed no recommended item to 20 known users");

            // An unknown user: the channel answers nothing, the request is still served (cold start).
            var cold = await client.GetAsync(new Uri("/recommend/99999999?k=5", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
            var channel = app.Services.GetRequiredKeyedService<IRecallChannel>(Channel);
            Assert.Empty((await channel.RecallAsync(new RecallRequest { UserId = 99_999_999, K = 5 }, CancellationToken.None)).Items);

            // A second version, built with another seed and only published, is served to requests that pin it.
            Assert.Equal("v0002", (await lifecycle.BuildAsync(Channel, DatasetLoader.Load(data), new ChannelBuildSettings { Seed = 7 })).Manifest.Version);
            var pinned = await channel.RecallAsync(Pinning(3, "v0002"), CancellationToken.None);
            var serving = await channel.RecallAsync(new RecallRequest { UserId = 3, K = 20 }, CancellationToken.None);
            Assert.Equal(("v0002", "v0001"), (pinned.Version, serving.Version));
            Assert.Equal(20, pinned.Items.Count);
            Assert.NotEqual(pinned.Items.Select(i => i.ItemId), serving.Items.Select(i => i.ItemId));
        }
    }

    private static RecallRequest Pinning(long user, string version) => new()
    {
        UserId = user,
        K = 20,
        Parameters = new Dictionary<string, string> { [RecallParameterKeys.Version] = version },
    };
}
