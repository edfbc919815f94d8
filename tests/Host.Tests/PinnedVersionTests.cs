using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Experiments.Logging;
using RecFramework.Lifecycle;
using RecFramework.Pipeline;

namespace RecFramework.Host.Tests;

/// <summary>
/// Issue 20 item 5: an experiment whose variants pin two built versions of <c>itemcf</c> (and one that is not
/// published), served by the real service on the test server while a third version is the serving one.
/// </summary>
public sealed class PinnedVersionTests
{
    private const int FirstUser = 1000;
    private const int Users = 90;

    /// <summary>Users 1000.. each with five of the items 1..10.</summary>
    private static List<string> BaseLines()
    {
        var lines = new List<string> { "user_id,item_id,timestamp" };
        var time = 1_000;
        for (var user = FirstUser; user < FirstUser + Users; user++)
        {
            foreach (var offset in new[] { 0, 1, 2, 4, 7 })
            {
                lines.Add($"{user},{(user + offset) % 10 + 1},{time++}");
            }
        }

        return lines;
    }

    private static string Write(string name, IEnumerable<string> lines)
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-pinned-versions", Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "interactions.csv"), lines);
        return dir;
    }

    [Fact]
    public async Task EachVariantIsServedByTheVersionItPinsAndAnUnpublishedVersionIsReportedNotFailed()
    {
        var original = Write("original", BaseLines());

        // The same users, plus newcomers who pair every old item with one of the new items 11..15.
        var withNewItems = BaseLines();
        for (var user = 5000; user < 5060; user++)
        {
            withNewItems.Add($"{user},{user % 10 + 1},{10_000 + (2 * user)}");
            withNewItems.Add($"{user},{11 + (user % 5)},{10_001 + (2 * user)}");
        }

        var extended = Write("extended", withNewItems);
        var root = Path.Combine(Path.GetTempPath(), "recfw-pinned-versions", Guid.NewGuid().ToString("N"));
        var log = Path.Combine(root, "exposures.jsonl");
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts"),
            ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
            ["RecFramework:ExposureLog:Path"] = log,
            ["RecFramework:Service:AdminApiKey"] = "test-key",
            ["RecFramework:Channels:swing:Enabled"] = "false",
            ["RecFramework:Channels:usercf:Enabled"] = "false",
            ["RecFramework:Channels:two-tower:Enabled"] = "false",
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Holdout:Share"] = "0",
            ["RecFramework:Experiments:Holdout:Salt"] = "h",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "pinned-versions",
            ["RecFramework:Experiments:Layers:0:Parameters:channels"] = "itemcf",
            ["RecFramework:Experiments:Layers:0:Parameters:k"] = "10",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "itemcf-versions",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Status"] = "Running",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "first",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.4",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Parameters:itemcf.version"] = "v0001",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "second",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.4",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:itemcf.version"] = "v0002",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:2:Name"] = "missing",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:2:Share"] = "0.2",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:2:Parameters:itemcf.version"] = "v0099",
        };

        var expected = new Dictionary<string, string?> { ["first"] = "v0001", ["second"] = "v0002", ["missing"] = null };
        var variantOf = new Dictionary<string, string>();
        var newItemsByVariant = new Dictionary<string, int>();
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(original), settings);
        await using (app)
        {
            // Start-up built v0001 from the original data; v0002 knows the new items; v0003 (original data again) serves.
            var lifecycle = app.Services.GetRequiredService<ChannelLifecycle>();
            Assert.Equal("v0001", lifecycle.ArtifactChannel("itemcf")!.ActiveVersion);
            Assert.Equal(["v0001", "v0002", "v0099"], app.Services.GetRequiredService<IChannelReachability>().PinnedVersions("itemcf")); // what retention keeps
            Assert.Equal("v0002", (await lifecycle.BuildAsync("itemcf", DatasetLoader.Load(extended))).Manifest.Version);
            Assert.Equal("v0003", (await lifecycle.BuildAndActivateAsync("itemcf", DatasetLoader.Load(original))).Manifest.Version);

            for (var user = FirstUser; user < FirstUser + Users; user++)
            {
                var response = await client.GetAsync(new Uri($"/recommend/{user}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var body = json.RootElement;
                var variant = body.GetProperty("assignment").GetProperty("layers")[0].GetProperty("variant").GetString()!;
                variantOf[body.GetProperty("requestId").GetString()!] = variant;
                var itemcf = body.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "itemcf");
                var fromItemCF = body.GetProperty("items").EnumerateArray()
                    .Where(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == "itemcf"))
                    .Select(i => i.GetProperty("itemId").GetInt64())
                    .ToArray();
                Assert.NotEqual(0, body.GetProperty("items").GetArrayLength());
                if (expected[variant] is { } version)
                {
                    Assert.Equal("Ok", itemcf.GetProperty("status").GetString());
                    Assert.Equal(version, itemcf.GetProperty("version").GetString());
                    Assert.NotEmpty(fromItemCF);
                    newItemsByVariant[variant] = newItemsByVariant.GetValueOrDefault(variant) + fromItemCF.Count(i => i > 10);
                }
                else
                {
                    // Served (by the fallback), with the reason the pinned version did not answer.
                    Assert.Equal("Failed", itemcf.GetProperty("status").GetString());
                    Assert.Contains("pinned version 'v0099' is not served: it is not published", itemcf.GetProperty("error").GetString(), StringComparison.Ordinal);
                    Assert.Empty(fromItemCF);
                }
            }

            // Activation still serves v0003 to requests that pin nothing; the admin listing shows both pinned versions loaded.
            using var listing = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/channels", UriKind.Relative));
            listing.Headers.Add("X-Api-Key", "test-key");
            using var channels = JsonDocument.Parse(await (await client.SendAsync(listing)).Content.ReadAsStringAsync());
            var listed = channels.RootElement.EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "itemcf");
            Assert.Equal("v0003", listed.GetProperty("activeVersion").GetString());
            Assert.Equal(["v0001", "v0002"], listed.GetProperty("pinnedVersions").EnumerateArray().Select(v => v.GetString()));
            await app.StopAsync();
        }

        Assert.Equal(["first", "missing", "second"], variantOf.Values.Distinct().Order());

        // Only the version that knows items 11..15 recalls them.
        Assert.Equal(0, newItemsByVariant["first"]);
        Assert.True(newItemsByVariant["second"] > 0, "v0002 recalled none of the items only it knows");

        // Every exposure line says which itemcf version produced its items.
        var lines = File.ReadAllLines(log).Select(l => JsonSerializer.Deserialize<LoggedEvent>(l)!).Where(e => e.Type == "request").ToArray();
        Assert.Equal(Users, lines.Length);
        foreach (var line in lines)
        {
            var version = expected[variantOf[line.RequestId]];
            if (version is null)
            {
                Assert.True(line.ChannelVersions is null || !line.ChannelVersions.ContainsKey("itemcf"));
                Assert.DoesNotContain("itemcf", line.Channels!);
            }
            else
            {
                Assert.Equal(version, line.ChannelVersions!["itemcf"]);
                Assert.Contains("itemcf", line.Channels!);
            }
        }

        // The analysis reader still reads the lines.
        Assert.Equal(Users, LoggedEventsFile.Read(log).Requests.Count);
    }

    [Fact]
    public async Task TwoTowerVariantsPinningTwoTrainedVersionsAreEachServedByTheirModel()
    {
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-pinned-versions", Guid.NewGuid().ToString("N"));
        var settings = SmallCatalog.Settings(root);
        var log = settings["RecFramework:ExposureLog:Path"]!;
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["RecFramework:Channels:itemcf:Enabled"] = "false",
            ["RecFramework:Channels:swing:Enabled"] = "false",
            ["RecFramework:Channels:usercf:Enabled"] = "false",
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Holdout:Share"] = "0",
            ["RecFramework:Experiments:Holdout:Salt"] = "h",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "two-tower-versions",
            ["RecFramework:Experiments:Layers:0:Parameters:channels"] = "two-tower",
            ["RecFramework:Experiments:Layers:0:Parameters:k"] = "10",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "two-tower-v1-v2",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Status"] = "Running",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "v1",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Parameters:two-tower.version"] = "v0001",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "v2",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:two-tower.version"] = "v0002",
        })
        {
            settings[key] = value;
        }

        var versionOf = new Dictionary<string, string>();
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data), settings);
        await using (app)
        {
            // Start-up trained and serves v0001; v0002 is trained with another seed and only published.
            var lifecycle = app.Services.GetRequiredService<ChannelLifecycle>();
            Assert.Equal("v0001", lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);
            Assert.Equal("v0002", (await lifecycle.BuildAsync("two-tower", DatasetLoader.Load(data), new ChannelBuildSettings { Seed = 7 })).Manifest.Version);

            for (var user = 1; user <= 40; user++)
            {
                using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/recommend/{user}", UriKind.Relative)));
                var body = json.RootElement;
                var variant = body.GetProperty("assignment").GetProperty("layers")[0].GetProperty("variant").GetString()!;
                var outcome = body.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "two-tower");
                Assert.Equal("Ok", outcome.GetProperty("status").GetString());
                Assert.Equal(variant == "v1" ? "v0001" : "v0002", outcome.GetProperty("version").GetString());
                versionOf[body.GetProperty("requestId").GetString()!] = outcome.GetProperty("version").GetString()!;
            }

            // The two versions are two different models: the same user gets other candidates from each.
            var channel = app.Services.GetRequiredKeyedService<IRecallChannel>("two-tower");
            var first = await channel.RecallAsync(Pinning(3, "v0001"), CancellationToken.None);
            var second = await channel.RecallAsync(Pinning(3, "v0002"), CancellationToken.None);
            Assert.Equal(("v0001", "v0002"), (first.Version, second.Version));
            Assert.NotEqual(first.Items.Select(i => i.ItemId), second.Items.Select(i => i.ItemId));
            Assert.Equal("v0001", lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);
            await app.StopAsync();
        }

        Assert.Equal(2, versionOf.Values.Distinct().Count());
        var lines = File.ReadAllLines(log).Select(l => JsonSerializer.Deserialize<LoggedEvent>(l)!).Where(e => e.Type == "request").ToArray();
        Assert.Equal(40, lines.Length);
        Assert.All(lines, line => Assert.Equal(versionOf[line.RequestId], line.ChannelVersions!["two-tower"]));
    }

    private static RecallRequest Pinning(long user, string version) => new()
    {
        UserId = user,
        K = 20,
        Parameters = new Dictionary<string, string> { [RecallParameterKeys.Version] = version },
    };
}
