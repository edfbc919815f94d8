using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Catalog;
using RecFramework.Stores;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary>
/// Negative feedback through the service (issue 17 item 5): <c>POST /events</c> with a <c>dislike</c>, then
/// <c>GET /recommend</c>. The service's wall clock is shifted by hand, so "after the period" needs no waiting.
/// </summary>
public sealed class DislikeTests
{
    private const long User = 1;

    /// <summary>A system clock the test can move forward; timers stay real.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }

    private static async Task<(ServiceUnderTest Service, ShiftedClock Clock)> StartAsync(params (string Key, string Value)[] settings)
    {
        var clock = new ShiftedClock();
        var overrides = new Dictionary<string, string?> { ["RecFramework:Stores:PopularityRefreshMs"] = "0" };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        var service = await ServiceUnderTest.StartAsync(overrides, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var catalog = service.App.Services.GetRequiredService<IItemCatalog>();
        string[] authors = ["ann", "ann", "bob", "cy"];
        for (var i = 0; i < authors.Length; i++)
        {
            await catalog.UpsertAsync(new CatalogItem(10 + i, new Dictionary<string, string[]> { ["author"] = [authors[i]] }));
        }

        // Other users make items 10..13 popular (10 most), so the popular channel serves them to user 1.
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var clicks = string.Join(",", new[] { 10, 10, 10, 10, 11, 11, 11, 12, 12, 13 }.Select((item, i) =>
            $$"""{"userId":{{100 + i}},"itemId":{{item}},"type":"click","timestamp":{{now}}}"""));
        var (status, _, _) = await EventEndpointTests.PostAsync(service, $$"""{"events":[{{clicks}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return (service, clock);
    }

    private static async Task DislikeAsync(ServiceUnderTest service, ShiftedClock clock, long item)
    {
        var (status, _, body) = await EventEndpointTests.PostAsync(service,
            $$"""{"events":[{"userId":{{User}},"itemId":{{item}},"type":"dislike","timestamp":{{clock.GetUtcNow().ToUnixTimeSeconds()}}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
    }

    private static async Task<long[]> RecommendAsync(ServiceUnderTest service)
    {
        var response = await service.Client.GetAsync(new Uri($"/recommend/{User}?k=10", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64()).ToArray();
    }

    [Fact]
    public async Task ADislikedItemIsNoLongerRecommendedAndCountsAsNoPositive()
    {
        var (service, clock) = await StartAsync();
        await using var _ = service;
        Assert.Equal(new long[] { 10L, 11L, 12L, 13L }, await RecommendAsync(service));
        var popularBefore = await service.App.Services.GetRequiredService<IItemPopularityStore>().GetTopAsync(10);

        await DislikeAsync(service, clock, 10);

        Assert.Equal(new long[] { 11L, 12L, 13L }, await RecommendAsync(service));
        Assert.Equal(11, await service.App.Services.GetRequiredService<IEventStore>().CountAsync());
        Assert.Empty(await service.App.Services.GetRequiredService<IUserHistoryStore>().GetRecentAsync(User, 10));
        Assert.Equal(popularBefore, await service.App.Services.GetRequiredService<IItemPopularityStore>().GetTopAsync(10));
        Assert.Equal([10L], (await service.App.Services.GetRequiredService<IUserDislikeStore>().GetRecentAsync(User, 10)).Select(d => d.ItemId));

        clock.Offset = TimeSpan.FromDays(365);
        Assert.Equal(new long[] { 11L, 12L, 13L }, await RecommendAsync(service));
    }

    [Fact]
    public async Task WithTheAuthorFieldOnItemsOfTheSameAuthorComeBackAfterThePeriod()
    {
        var (service, clock) = await StartAsync(("RecFramework:NegativeFeedback:Fields:0", "author"), ("RecFramework:NegativeFeedback:PeriodDays", "3"));
        await using var _ = service;

        await DislikeAsync(service, clock, 10);

        Assert.Equal(new long[] { 12L, 13L }, await RecommendAsync(service));
        clock.Offset = TimeSpan.FromDays(2.9);
        Assert.Equal(new long[] { 12L, 13L }, await RecommendAsync(service));
        clock.Offset = TimeSpan.FromDays(3.1);
        Assert.Equal(new long[] { 11L, 12L, 13L }, await RecommendAsync(service));
    }

    [Fact]
    public async Task AnUnknownTypeIsRejectedNamingDislikeAmongTheTypes()
    {
        var (service, clock) = await StartAsync();
        await using var _ = service;

        var (status, _, body) = await EventEndpointTests.PostAsync(service,
            $$"""{"events":[{"userId":1,"itemId":10,"type":"hate","timestamp":{{clock.GetUtcNow().ToUnixTimeSeconds()}}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var reason = body.RootElement.GetProperty("rejected")[0].GetProperty("reason").GetString()!;
        Assert.Contains("type 'hate' is not one of", reason, StringComparison.Ordinal);
        Assert.Contains("dislike", reason, StringComparison.Ordinal);
    }
}
