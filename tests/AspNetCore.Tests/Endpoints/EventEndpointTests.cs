using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Stores;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary><c>POST /events</c> with bad input: issue 21 cases 1, 2 and 9.</summary>
public sealed class EventEndpointTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    internal static async Task<(HttpStatusCode Status, string? MediaType, JsonDocument Body)> PostAsync(ServiceUnderTest service, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await service.Client.PostAsync(new Uri("/events", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text));
    }

    private static async Task<long> StoredAsync(ServiceUnderTest service) =>
        await service.App.Services.GetRequiredService<IEventStore>().CountAsync();

    private static Dictionary<int, string> Rejected(JsonDocument body) =>
        body.RootElement.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("reason").GetString()!);

    [Fact]
    public async Task AnOutOfRangeTimestampIsRejectedAndTheValidEventsOfTheBatchAreStored()
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var (status, mediaType, body) = await PostAsync(service,
            $$"""{"events":[{"userId":1,"itemId":60,"type":"click","timestamp":{{Now}}},{"userId":1,"itemId":61,"type":"click","timestamp":300000000000}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        var reason = Assert.Single(Rejected(body)).Value;
        Assert.Contains("timestamp '300000000000'", reason, StringComparison.Ordinal);
        Assert.Contains(EventTimestamps.Range, reason, StringComparison.Ordinal);
        Assert.Equal(1, await StoredAsync(service));
    }

    [Fact]
    public async Task EachMalformedElementIsRejectedWithItsReasonAndTheOthersAreStored()
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var (status, _, body) = await PostAsync(service, $$"""
            {"events":[
              {"userId":1,"itemId":70,"type":"click","timestamp":{{Now}}},
              {"userId":1,"itemId":71,"type":5,"timestamp":{{Now}}},
              {"userId":1,"itemId":72,"type":"click","timestamp":{{Now}},"weight":"heavy"},
              42,
              {"userId":[1],"itemId":73,"type":"click","timestamp":{{Now}}},
              {"userId":1,"itemId":74,"type":"click","timestamp":{{Now}},"requestId":7},
              {"USERID":"2","ItemId":"75","Type":"like","timestamp":"{{DateTimeOffset.FromUnixTimeSeconds(Now):O}}","weight":2.5}
            ]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(2, body.RootElement.GetProperty("accepted").GetInt32());
        var reasons = Rejected(body);
        Assert.Equal([1, 2, 3, 4, 5], reasons.Keys.Order());
        Assert.StartsWith("type '5' is not one of impression", reasons[1], StringComparison.Ordinal);
        Assert.Equal("weight 'heavy' is not a finite non-negative number", reasons[2]);
        Assert.Equal("event '42' is not a JSON object", reasons[3]);
        Assert.Equal("userId '[1]' is not a 64-bit integer", reasons[4]);
        Assert.Equal("requestId '7' is not a string", reasons[5]);
        Assert.Equal(2, await StoredAsync(service));
    }

    [Theory]
    [InlineData("{\"events\":[", "is not valid JSON", "LineNumber")]
    [InlineData("{\"events\":[{\"userId\":1,\"weight\":NaN}]}", "is not valid JSON", "LineNumber")]
    [InlineData("", "is not valid JSON", "LineNumber")]
    [InlineData("[{\"userId\":1}]", "'events' array", "Array")]
    [InlineData("{\"events\":5}", "'events' array", "Object")]
    [InlineData("{\"event\":[]}", "'events' array", "Object")]
    public async Task ABodyThatIsNotABatchAnswers400ProblemDetailsSayingWhy(string body, string expected, string detail)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var (status, mediaType, answer) = await PostAsync(service, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(400, answer.RootElement.GetProperty("status").GetInt32());
        var text = answer.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(expected, answer.RootElement.GetProperty("rule").GetString()!, StringComparison.Ordinal);
        Assert.Contains(detail, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    [InlineData("300000000000")]
    [InlineData("7258118401")]
    [InlineData("\"2300-01-01T00:00:00Z\"")]
    [InlineData("1.5")]
    [InlineData("\"yesterday\"")]
    [InlineData("true")]
    public async Task TimestampsOutsideTheAcceptedRangeAreRejectedNamingTheRange(string timestamp)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var (status, _, body) = await PostAsync(service, $$"""{"events":[{"userId":1,"itemId":60,"type":"click","timestamp":{{timestamp}}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.EndsWith($"is outside the accepted range ({EventTimestamps.Range})", Assert.Single(Rejected(body)).Value, StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync(service));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("\"1970-01-01T00:00:00Z\"")]
    [InlineData("1000000000")]
    public async Task TimestampsAtTheStartOfTheRangeAreStored(string timestamp)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var (status, _, body) = await PostAsync(service, $$"""{"events":[{"userId":1,"itemId":60,"type":"click","timestamp":{{timestamp}}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(1, await StoredAsync(service));
    }

    [Fact]
    public async Task ABodyThatIsNotJsonContentAnswers415ProblemDetails()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        using var content = new StringContent("userId=1", Encoding.UTF8, "text/plain");

        var response = await service.Client.PostAsync(new Uri("/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Content-Type", body.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ABodyOverTheServersSizeLimitAnswers413ProblemDetailsOnKestrel()
    {
        await using var service = await ServiceUnderTest.StartAsync(kestrel: true,
            configure: builder => builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1_000));
        var events = string.Join(",", Enumerable.Range(0, 100).Select(i => $$"""{"userId":1,"itemId":{{i}},"type":"click","timestamp":{{Now}}}"""));

        var (status, mediaType, body) = await PostAsync(service, "{\"events\":[" + events + "]}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(413, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(0, await StoredAsync(service));
    }
}
