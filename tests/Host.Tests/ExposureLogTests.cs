using System.Net.Http.Json;
using System.Text.Json;
using RecFramework.Analysis.Comparison;
using RecFramework.Experiments.Logging;

namespace RecFramework.Host.Tests;

public sealed class ExposureLogTests
{
    [Fact]
    public async Task RequestsExposuresAndClicksAreLoggedWithTheAssignmentAndSurviveShutdown()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-exposures", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllLinesAsync(Path.Combine(data, "interactions.csv"), ["user_id,item_id,timestamp", "1,1,100", "2,1,101", "2,2,102", "3,3,103", "3,2,104"]);
        var log = Path.Combine(dir, "exposures.jsonl");
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Stores:EventsPath"] = Path.Combine(dir, "events.db"),
            ["RecFramework:ExposureLog:Path"] = log,
            ["RecFramework:Experiments:BucketCount"] = "10",
            ["RecFramework:Experiments:Holdout:Share"] = "0",
            ["RecFramework:Experiments:Holdout:Salt"] = "h",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "recall-test",
        };
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data), settings);
        string requestId;
        long clicked;
        await using (app)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/recommend/1?k=2", UriKind.Relative));
            request.Headers.Add("X-Request-Id", "req-42");
            var response = await client.SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            requestId = json.RootElement.GetProperty("requestId").GetString()!;
            clicked = json.RootElement.GetProperty("items")[1].GetProperty("itemId").GetInt64();
            var post = await client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new
            {
                events = new[] { new { userId = 1, itemId = clicked, type = "click", timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), requestId } },
            });
            post.EnsureSuccessStatusCode();
            await app.StopAsync();
        }

        Assert.Equal("req-42", requestId);
        var parsed = LoggedEventsFile.Read(log);
        var served = Assert.Single(parsed.Requests);
        Assert.Equal("req-42", served.RequestId);
        Assert.Equal(2, parsed.Exposures.Count);
        var click = Assert.Single(parsed.Clicks);
        Assert.Equal(clicked, click.ItemId);
        Assert.Equal(1, click.Position);
        Assert.Equal("recall", click.Assignment.Layers[0].Layer);
        Assert.False(string.IsNullOrEmpty(click.Assignment.ConfigVersion));
    }
}
