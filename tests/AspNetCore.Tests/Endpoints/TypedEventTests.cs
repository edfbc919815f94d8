using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments.Logging;
using RecFramework.Stores;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary><c>POST /events</c> with typed events (like, share, dwell and complete with a value) through the test server into the exposure log.</summary>
public sealed class TypedEventTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static Dictionary<int, string> Rejected(JsonDocument body) =>
        body.RootElement.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("reason").GetString()!);

    [Fact]
    public async Task TypedEventsOfAServedRequestAreLoggedWithTheirTypeAndValueAndBadOnesAreRejectedNamingTheValue()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var seed = string.Join(",", Enumerable.Range(500, 5).Select(i => $$"""{"userId":2,"itemId":{{i}},"type":"click","timestamp":{{Now}}}"""));
        Assert.Equal(HttpStatusCode.OK, (await EventEndpointTests.PostAsync(service, $$"""{"events":[{{seed}}]}""")).Status);
        using var served = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri("/recommend/1?k=5", UriKind.Relative)));
        var requestId = served.RootElement.GetProperty("requestId").GetString()!;
        var item = served.RootElement.GetProperty("items")[0].GetProperty("itemId").GetInt64();

        string Event(string type, string extra = "") => $$"""{"userId":1,"itemId":{{item}},"type":"{{type}}","timestamp":{{Now}},"requestId":"{{requestId}}"{{extra}}}""";
        var (status, _, body) = await EventEndpointTests.PostAsync(service, $$"""
            {"events":[
              {{Event("click")}},
              {{Event("like")}},
              {{Event("dwell", ",\"value\":42.5")}},
              {{Event("complete", ",\"value\":0.8")}},
              {{Event("purchase")}},
              {{Event("dwell", ",\"value\":-1")}},
              {{Event("dwell")}},
              {{Event("complete", ",\"value\":1.5")}},
              {{Event("like", ",\"value\":3")}},
              {{Event("dwell", ",\"value\":\"long\"")}},
              {{Event("dwell", ",\"value\":10,\"weight\":2")}},
              {{Event("share")}}
            ]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(5, body.RootElement.GetProperty("accepted").GetInt32());
        var reasons = Rejected(body);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10], reasons.Keys.Order());
        Assert.Equal("type 'purchase' is not one of impression, click, like, collect, share, comment, dwell, complete, dislike", reasons[4]);
        Assert.Equal("value '-1' must be a number of seconds >= 0 for dwell", reasons[5]);
        Assert.Equal("value is missing: it must be a number of seconds >= 0 for dwell", reasons[6]);
        Assert.Equal("value '1.5' must be a fraction in [0, 1] for complete", reasons[7]);
        Assert.Equal("value '3' is only sent with dwell or complete, not with like", reasons[8]);
        Assert.Equal("value 'long' is not a number", reasons[9]);
        Assert.Equal("weight '2' is not sent with a dwell event: its value is its weight", reasons[10]);

        var stored = new List<EventRecord>();
        await foreach (var record in service.App.Services.GetRequiredService<IEventStore>().ReadAsync(0, 1000, CancellationToken.None))
        {
            stored.Add(record);
        }

        var dwell = Assert.Single(stored, r => r.Event.Type == InteractionType.Dwell);
        Assert.Equal(42.5f, dwell.Event.Weight);

        var log = service.App.Services.GetRequiredService<ExposureLog>();
        log.Flush();
        var read = LoggedEventsFile.Read(log.Path, out var report);
        Assert.Equal(0, report.SkippedLines);
        Assert.Single(read.Clicks, c => c.RequestId == requestId && c.ItemId == item);
        Assert.Equal(["like", "dwell", "complete", "share"], read.Engagements.Select(e => e.Type));
        Assert.Equal([null, 42.5, 0.8, null], read.Engagements.Select(e => e.Value));
    }
}
