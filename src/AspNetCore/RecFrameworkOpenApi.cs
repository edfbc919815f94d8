using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace RecFramework.AspNetCore;

/// <summary>
/// The OpenAPI description of the service's endpoints: one document, <see cref="DocumentName"/>, registered by
/// <see cref="RecFrameworkServiceExtensions.AddRecFrameworkService"/> and served at <see cref="DocumentPath"/> by
/// <see cref="RecFrameworkServiceExtensions.MapRecFramework"/> unless <see cref="ServiceOptions.OpenApiDocument"/> is off.
/// The document holds RecFramework's endpoints only (their group name is the document name), so an application's own
/// <c>AddOpenApi()</c> document and route are left alone.
/// </summary>
public static class RecFrameworkOpenApi
{
    /// <summary>Name of the OpenAPI document (and the endpoint group name of every RecFramework endpoint).</summary>
    public const string DocumentName = "recframework";

    /// <summary>Path the document is served at, as JSON.</summary>
    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    /// <summary>Name of the security scheme of the admin endpoints (the <c>X-Api-Key</c> header).</summary>
    public const string AdminApiKeyScheme = "AdminApiKey";

    internal static void AddDocument(IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "RecFramework";
                document.Info.Description = "Recall-stage recommendations, interaction events, experiments, health and readiness, metrics and admin.";
                DescribeAdminSecurity(document);
                return Task.CompletedTask;
            });
        });

    internal static void MapDocument(IEndpointRouteBuilder app) =>
        app.MapGet(DocumentPath, async (
                [FromKeyedServices(DocumentName)] IOpenApiDocumentProvider provider, IOptionsMonitor<OpenApiOptions> options, HttpContext http, CancellationToken cancellationToken) =>
            {
                var document = await provider.GetOpenApiDocumentAsync(cancellationToken).ConfigureAwait(false);
                var json = await document.SerializeAsJsonAsync(options.Get(DocumentName).OpenApiVersion, cancellationToken).ConfigureAwait(false);
                return Results.Text(json, "application/json;charset=utf-8");
            })
            .ExcludeFromDescription();

    /// <summary>Path of the live analysis, which takes the admin key or the read-only key in the same header.</summary>
    internal const string AnalysisPath = "/experiments/analysis";

    /// <summary>Path of the live experiment page, which takes the same keys (also as a cookie it sets from <c>?key=</c>).</summary>
    internal const string PagePath = "/experiments/page";

    /// <summary>Declares the <c>X-Api-Key</c> header scheme and requires it on every <c>/admin</c> operation and on the live analysis.</summary>
    private static void DescribeAdminSecurity(OpenApiDocument document)
    {
        var admin = document.Paths.Where(p => p.Key.StartsWith("/admin/", StringComparison.Ordinal) || p.Key == AnalysisPath || p.Key == PagePath).ToArray();
        if (admin.Length == 0)
        {
            return;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[AdminApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminEndpoints.ApiKeyHeader,
            Description = "The admin API key (RecFramework:Service:AdminApiKey), compared in constant time; " +
                AnalysisPath + " and " + PagePath + " also take the read-only key (RecFramework:Service:ReadApiKey); " + PagePath +
                " also takes the key once as ?key= (answered by a redirect that sets an HttpOnly cookie) and then from that cookie.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminApiKeyScheme, document)] = [] };
        foreach (var operation in admin.SelectMany(p => p.Value.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Security ??= [];
            operation.Security.Add(requirement);
        }
    }
}
