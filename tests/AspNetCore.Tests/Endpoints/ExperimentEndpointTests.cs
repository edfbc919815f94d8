using System.Net;
using System.Text.Json;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary>
/// <c>GET /experiments/assignment/{userId}</c> with a bad id: found by <c>bench chaos</c> (the route's <c>long</c>
/// constraint answered an empty 404 that named nothing).
/// </summary>
public sealed class ExperimentEndpointTests
{
    [Theory]
    [InlineData("abc", "is not a 64-bit integer")]
    [InlineData("99999999999999999999", "is not a 64-bit integer")]
    [InlineData("1234567890123456789012345", "has 25 characters; at most 20 are allowed")]
    public async Task ABadUserIdAnswers400ProblemDetailsNamingTheIdAndTheRule(string userId, string rule)
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var response = await service.Client.GetAsync(new Uri($"/experiments/assignment/{userId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("userId", body.RootElement.GetProperty("field").GetString());
        Assert.Contains(rule, body.RootElement.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGoodUserIdAnswersItsAssignment()
    {
        await using var service = await ServiceUnderTest.StartAsync();

        using var body = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri("/experiments/assignment/-42", UriKind.Relative)));

        Assert.Equal(-42, body.RootElement.GetProperty("userId").GetInt64());
    }
}
