using System.Net;
using System.Text.Json;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary><c>GET /recommend/{userId}?k=</c> with bad input: issue 21 case 2 (k, long ids) and issue 19 (k=0).</summary>
public sealed class RecommendEndpointTests
{
    [Theory]
    [InlineData("k=abc", "'abc'")]
    [InlineData("k=1e3", "'1e3'")]
    [InlineData("k=1&k=2", "'1,2'")]
    [InlineData("k=99999999999", "'99999999999'")]
    [InlineData("k=0", "k = 0")]
    [InlineData("k=501", "k = 501")]
    [InlineData("k=-3", "k = -3")]
    public async Task ABadKAnswers400ProblemDetailsNamingKAndTheAllowedRange(string query, string value)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var response = await service.Client.GetAsync(new Uri("/recommend/1?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = body.RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("k", detail, StringComparison.Ordinal);
        Assert.Contains(value, detail, StringComparison.Ordinal);
        Assert.Contains("[1, 500]", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?k=5")]
    [InlineData("?k=")]
    public async Task AGoodOrMissingKAnswers200(string query)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var response = await service.Client.GetAsync(new Uri("/recommend/1" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ARecommendationIsLoggedInAScopeNamingItsRequestIdAndAssignment()
    {
        await using var service = await ServiceUnderTest.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/recommend/1?k=5", UriKind.Relative));
        request.Headers.Add("X-Request-Id", "scope-test-1");

        var response = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recommended = service.Logs.GetSnapshot().Where(r => r.Id.Id == 1004).ToArray();
        var pairs = Assert.Single(recommended).Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).ToArray();
        Assert.Contains(pairs, p => p.Key == "RequestId" && Equals(p.Value, "scope-test-1"));
        Assert.Contains(pairs, p => p.Key == "Assignment" && p.Value is string { Length: > 0 });
    }

    [Fact]
    public async Task ATenThousandCharacterIdAnswers400WithATruncatedValueOnKestrel()
    {
        await using var service = await ServiceUnderTest.StartAsync(kestrel: true);
        var id = new string('7', 10_000);

        var response = await service.Client.GetAsync(new Uri("/recommend/" + id + "?k=5", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Equal("userId", body.RootElement.GetProperty("field").GetString());
        Assert.Contains("has 10000 characters; at most 20", body.RootElement.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('7', ProblemText.MaxValueLength + 1), text, StringComparison.Ordinal);
    }
}
