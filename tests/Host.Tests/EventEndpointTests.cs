using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RecFramework.Host.Tests;

public sealed class EventEndpointTests
{
    private static Dictionary<string, string?> Settings() => new()
    {
        ["RecFramework:Stores:EventsPath"] = Path.Combine(Path.GetTempPath(), "recfw-host-events", Guid.NewGuid().ToString("N"), "events.db"),
        ["RecFramework:Stores:PopularityRefreshMs"] = "0",
    };

    [Fact]
    public async Task EventsAreVisibleToTheNextRequest()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings());
        await using var _ = app;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var post = await client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new
        {
            events = new object[]
            {
                new { userId = 1, itemId = 500, type = "click", timestamp = now },
                new { userId = 2, itemId = 500, type = "like", timestamp = now },
                new { userId = 2, itemId = 600, type = "click", timestamp = now },
            },
        });
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/recommend/1?k=5", UriKind.Relative)));
        var items = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64()).ToArray();

        // User 1 has now seen 500 (filtered), is no longer cold, and 600 became popular.
        Assert.Equal([600L], items);
        Assert.False(json.RootElement.GetProperty("coldStart").GetBoolean());
    }

    [Fact]
    public async Task MixedBatchKeepsValidEventsAndNamesEachRejection()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings());
        await using var _ = app;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var post = await client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new
        {
            events = new object[]
            {
                new { userId = 1, itemId = 7, type = "click", timestamp = now },
                new { userId = 1, itemId = 8, type = "teleport", timestamp = now },
                new { itemId = 9, type = "click", timestamp = now },
                new { userId = 1, itemId = 10, type = "click", timestamp = now + 86_400 },
                new { userId = "x1", itemId = 11, type = "click", timestamp = now },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        using var json = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("accepted").GetInt32());
        var reasons = json.RootElement.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("reason").GetString()!);
        Assert.Equal([1, 2, 3, 4], reasons.Keys.Order());
        Assert.Contains("'teleport'", reasons[1], StringComparison.Ordinal);
        Assert.Contains("userId is missing", reasons[2], StringComparison.Ordinal);
        Assert.Contains("future", reasons[3], StringComparison.Ordinal);
        Assert.Contains("'x1'", reasons[4], StringComparison.Ordinal);

        using var rec = JsonDocument.Parse(await client.GetStringAsync(new Uri("/recommend/1?k=5", UriKind.Relative)));
        Assert.False(rec.RootElement.GetProperty("coldStart").GetBoolean());
    }

    [Fact]
    public async Task OversizeBatchIsRejectedWhole()
    {
        var settings = Settings();
        settings["RecFramework:Service:MaxEventBatch"] = "2";
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), settings);
        await using var _ = app;
        var e = new { userId = 1, itemId = 7, type = "click", timestamp = 1 };

        var post = await client.PostAsJsonAsync(new Uri("/events", UriKind.Relative), new { events = new[] { e, e, e } });

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("3 events exceeds the limit of 2", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedBodyIsRejected()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), Settings());
        await using var _ = app;

        using var content = new StringContent("{\"nothing\": 1}", System.Text.Encoding.UTF8, "application/json");
        var post = await client.PostAsync(new Uri("/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }
}
