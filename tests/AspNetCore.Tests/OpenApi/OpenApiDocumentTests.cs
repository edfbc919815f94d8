using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace RecFramework.AspNetCore.Tests.OpenApi;

/// <summary>The OpenAPI document served by an app built from the packages, checked against the app's own route table.</summary>
public sealed class OpenApiDocumentTests
{
    private static async Task<JsonElement> FetchDocumentAsync(ServiceUnderTest service)
    {
        using var response = await service.Client.GetAsync(RecFrameworkOpenApi.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>"/experiments/assignment/{userId:long}" as OpenAPI writes it: "/experiments/assignment/{userId}".</summary>
    private static string OpenApiPath(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"Unexpected route part {part}."),
        }))));

    private static IReadOnlyList<(string Path, string Method)> MappedOperations(ServiceUnderTest service) =>
        service.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => OpenApiPath(e.RoutePattern) != RecFrameworkOpenApi.DocumentPath)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (OpenApiPath(e.RoutePattern), m.ToLowerInvariant())))
            .ToArray();

    [Fact]
    public async Task EveryMappedEndpointIsAnOperationOfTheDocument()
    {
        await using var service = await ServiceUnderTest.StartAsync(new Dictionary<string, string?> { ["RecFramework:Telemetry:SnapshotEndpoint"] = "true" });
        var document = await FetchDocumentAsync(service);
        var mapped = MappedOperations(service);

        // The route table holds every area (admin included: the test app sets a key), so the check below covers them all.
        foreach (var path in new[] { "/recommend/{userId}", "/health", "/ready", "/events", "/experiments", "/experiments/assignment/{userId}", "/experiments/analysis", "/experiments/page", "/metrics", "/admin/channels", "/admin/channels/{channel}/activate/{version}", "/admin/config/reload", "/admin/experiments", "/admin/experiments/{name}/start", "/admin/experiments/{name}/stop", "/admin/experiments/{name}/launch", "/admin/experiments/{name}/close-reverse", "/admin/holdout/rotate", "/admin/experiments/audit" })
        {
            Assert.Contains(mapped, m => m.Path == path);
        }

        var paths = document.GetProperty("paths");
        foreach (var (path, method) in mapped)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is mapped but not in the document.");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is mapped but not in the document.");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()), $"{method} {path} has no name.");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary.");
            Assert.True(operation.GetProperty("tags").GetArrayLength() > 0, $"{method} {path} has no tag.");
            Assert.True(operation.GetProperty("responses").TryGetProperty("200", out _), $"{method} {path} documents no 200 answer.");
        }

        // Nothing but RecFramework's endpoints is described, and the document does not describe itself.
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name))).ToHashSet();
        Assert.Equal(documented.Order(), mapped.ToHashSet().Order());
    }

    [Fact]
    public async Task RequestAndResponseSchemasAreNamedComponents()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var document = await FetchDocumentAsync(service);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "RecommendationDto", "EventBatchDto", "EventDto", "EventBatchResultDto", "ProblemDetails", "HealthDto", "ReadyDto", "NotReadyDto", "StartingDto", "ExperimentsDto", "UserAssignmentDto", "LiveAnalysisResult", "ChannelListingDto", "ActivationDto", "ReloadDto", "CreateExperimentDto", "ExperimentChangeDto", "LaunchDto", "RotateHoldoutDto", "ExperimentOperationResult", "ExperimentChangeImpact", "ExperimentAuditDto", "ExperimentAuditEntry" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), $"components/schemas has no {name}.");
        }

        // An event's optional fields are optional in the schema too.
        var required = schemas.GetProperty("EventDto").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order();
        Assert.Equal(["itemId", "timestamp", "type", "userId"], required);

        var paths = document.GetProperty("paths");
        Assert.Equal("#/components/schemas/EventBatchDto", paths.GetProperty("/events").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/RecommendationDto", Response(paths, "/recommend/{userId}", "get", "200", "application/json").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/ProblemDetails", Response(paths, "/recommend/{userId}", "get", "400", "application/problem+json").GetProperty("$ref").GetString());

        // /ready's 503 is either shape, both named.
        var unavailable = Response(paths, "/ready", "get", "503", "application/json").GetProperty("oneOf").EnumerateArray().Select(s => s.GetProperty("$ref").GetString());
        Assert.Equal(["#/components/schemas/StartingDto", "#/components/schemas/NotReadyDto"], unavailable);

        // Every response body of every operation is a named schema (or an array of one, or a choice of them), never an
        // anonymous object.
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var status in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (!status.Value.TryGetProperty("content", out var contents))
                    {
                        continue;
                    }

                    foreach (var content in contents.EnumerateObject())
                    {
                        var schema = content.Value.GetProperty("schema");
                        var named = schema.TryGetProperty("items", out var items) ? [items]
                            : schema.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().ToArray()
                            : new[] { schema };
                        Assert.All(named, n => Assert.True(n.TryGetProperty("$ref", out _), $"{operation.Name} {path.Name} {status.Name} answers an unnamed schema: {schema}"));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task AdminOperationsTheLiveAnalysisAndThePageRequireTheApiKeySchemeAndOthersDoNot()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var document = await FetchDocumentAsync(service);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(RecFrameworkOpenApi.AdminApiKeyScheme);
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var secured = operation.Value.TryGetProperty("security", out var security)
                    && security.EnumerateArray().Any(r => r.TryGetProperty(RecFrameworkOpenApi.AdminApiKeyScheme, out _));
                Assert.Equal(path.Name.StartsWith("/admin/", StringComparison.Ordinal) || path.Name is "/experiments/analysis" or "/experiments/page", secured);
            }
        }
    }

    [Fact]
    public async Task TheOptionTurnsTheDocumentOff()
    {
        await using var service = await ServiceUnderTest.StartAsync(new Dictionary<string, string?> { ["RecFramework:Service:OpenApiDocument"] = "false" });
        using var response = await service.Client.GetAsync(RecFrameworkOpenApi.DocumentPath);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var health = await service.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static JsonElement Response(JsonElement paths, string path, string method, string status, string mediaType) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty(mediaType).GetProperty("schema");
}
