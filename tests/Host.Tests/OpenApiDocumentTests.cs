using System.Net;
using System.Text.Json;
using RecFramework.AspNetCore;

namespace RecFramework.Host.Tests;

/// <summary>The Host serves the OpenAPI description of its endpoints, and the experiment page through the same mapping.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task TheHostServesTheOpenApiDocumentOfItsEndpoints()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), new Dictionary<string, string?> { ["RecFramework:Service:AdminApiKey"] = "host-key" });
        await using var running = app;

        var response = await client.GetAsync(new Uri(RecFrameworkOpenApi.DocumentPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/recommend/{userId}", "get"), ("/events", "post"), ("/ready", "get"), ("/experiments/assignment/{userId}", "get"), ("/experiments/analysis", "get"), ("/experiments/page", "get"), ("/admin/channels", "get") })
        {
            Assert.True(paths.GetProperty(path).TryGetProperty(method, out var operation) && operation.ValueKind == JsonValueKind.Object, $"{method} {path} is not in the Host's document.");
        }
    }

    [Fact]
    public async Task TheHostServesTheExperimentPageForTheReadKey()
    {
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), new Dictionary<string, string?> { ["RecFramework:Service:ReadApiKey"] = "host-read-key" });
        await using var running = app;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/experiments/page", UriKind.Relative))).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/experiments/page");
        request.Headers.Add("X-Api-Key", "host-read-key");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h2 id=\"layers\">Layers and bucket maps</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("host-read-key", html, StringComparison.Ordinal);
    }
}
