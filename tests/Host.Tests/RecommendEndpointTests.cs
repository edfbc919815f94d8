using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RecFramework.Host.Tests;

public sealed class RecommendEndpointTests
{
    private static string WriteTinyDataset()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-host-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var lines = new List<string> { "user_id,item_id,timestamp,event" };
        // Item 1 is the most popular, then 2, then 3; user 1 has seen item 1.
        lines.AddRange(["1,1,100,click", "2,1,101,click", "3,1,102,click", "2,2,103,click", "3,2,104,click", "3,3,105,click"]);
        File.WriteAllLines(Path.Combine(dir, "interactions.csv"), lines);
        return dir;
    }

    [Fact]
    public async Task HealthAnswersOk()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings());
        await using var _ = app;

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The tests of the endpoint on the tiny data set leave the two-tower channel out: it answers every user, cold ones
    /// included, and on six events its order is the model's, which may tie or flip with libtorch's threading while
    /// other tests train in the same process; these tests are about the endpoint, the fallback and filtering.
    /// </summary>
    private static readonly Dictionary<string, string?> WithoutTwoTower = new() { ["RecFramework:Channels:two-tower:Enabled"] = "false" };

    [Fact]
    public async Task RecommendsUnseenItemsWithAttribution()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(WriteTinyDataset()), WithoutTwoTower);
        await using var _ = app;

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/recommend/1?k=2", UriKind.Relative)));

        var items = json.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([2L, 3L], items.Select(i => i.GetProperty("itemId").GetInt64()));
        Assert.All(items, i => Assert.NotEqual(0, i.GetProperty("channels").GetArrayLength()));
        Assert.All(items, i => Assert.All(i.GetProperty("channels").EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetString()))));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToArray();
        Assert.True(scores[0] >= scores[1], $"scores are best first: {string.Join(", ", scores)}");
        Assert.Equal(["channels", "itemId", "score"], items[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var outcomes = json.RootElement.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("status").GetString());
        Assert.All(outcomes.Values, status => Assert.Equal("Ok", status));
        Assert.Contains("popular", outcomes.Keys);
        Assert.False(json.RootElement.GetProperty("coldStart").GetBoolean());
    }

    [Fact]
    public async Task UnknownUserIsServedAsColdStart()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(WriteTinyDataset()), WithoutTwoTower);
        await using var _ = app;

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/recommend/999999?k=3", UriKind.Relative)));

        Assert.True(json.RootElement.GetProperty("coldStart").GetBoolean());
        Assert.Equal([1L, 2L, 3L], json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64()));
    }

    [Theory]
    [InlineData("/recommend/abc?k=2", "'abc'")]
    [InlineData("/recommend/1?k=0", "k = 0")]
    [InlineData("/recommend/1?k=100000", "k = 100000")]
    public async Task BadRequestsNameTheOffendingValue(string url, string expected)
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings());
        await using var _ = app;

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
