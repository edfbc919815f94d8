using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;

namespace RecFramework.AspNetCore;

/// <summary>
/// <c>GET /experiments/page</c>: the live experiment page (<see cref="ExperimentPage"/>), for the admin key or the read-only
/// key, mapped when either is configured (like <c>/experiments/analysis</c>). A browser cannot set a header, so the key is
/// also taken once as <c>?key=</c>: a right key is answered 303 to the page without it and sets the HttpOnly, SameSite=Strict
/// cookie <see cref="KeyCookie"/> (path <c>/experiments/page</c>, Secure over HTTPS) that later loads send; the key never
/// appears in the page.
/// </summary>
internal static class ExperimentPageEndpoints
{
    /// <summary>Cookie holding the key after a <c>?key=</c> load.</summary>
    public const string KeyCookie = "recfw-page-key";

    /// <summary>Query parameter a browser passes the key in once.</summary>
    public const string KeyQuery = "key";

    public static IEndpointRouteBuilder MapExperimentPageEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminApiKey) && string.IsNullOrEmpty(options.ReadApiKey))
        {
            return app;
        }

        app.MapGet(RecFrameworkOpenApi.PagePath, Page)
            .WithName("GetExperimentPage")
            .WithTags(ApiTags.Experiments)
            .WithSummary("Live experiment page (HTML).")
            .WithDescription(
                "Server-rendered HTML, no script and nothing loaded from elsewhere: each layer's bucket map, the experiments with " +
                "their status, and from the live analysis (the data of GET /experiments/analysis) per variant the primary metric's " +
                "value and lift with fixed-horizon and anytime-valid intervals, charted per day cumulatively, the sample-ratio " +
                "checks and the decision with its reason. Needs the admin or the read-only key in X-Api-Key, in the " +
                "recfw-page-key cookie, or once as ?key= (answered 303 to the page, setting that cookie).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<IResult> Page(
        HttpContext http, LiveAnalysis analysis, IOptionsMonitor<ExperimentsOptions> experiments, IOptionsMonitor<ServiceOptions> service, CancellationToken ct)
    {
        var options = service.CurrentValue;
        var request = http.Request;
        if (request.Query.TryGetValue(KeyQuery, out var queryKey))
        {
            if (!LiveAnalysisEndpoints.IsReadKey(options, queryKey.ToString()))
            {
                return Unauthorized();
            }

            http.Response.Cookies.Append(KeyCookie, queryKey.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = RecFrameworkOpenApi.PagePath,
            });
            NoStore(http.Response);
            http.Response.Headers.Location = request.PathBase + RecFrameworkOpenApi.PagePath; // the key leaves the address bar
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }

        var given = request.Headers[AdminEndpoints.ApiKeyHeader].ToString();
        if (given.Length == 0)
        {
            given = request.Cookies[KeyCookie] ?? "";
        }

        if (!LiveAnalysisEndpoints.IsReadKey(options, given))
        {
            return Unauthorized();
        }

        var result = await analysis.GetAsync(ct).ConfigureAwait(false);
        var config = experiments.CurrentValue;
        var html = ExperimentPage.Render(result, config, BucketMap.Of(config));
        NoStore(http.Response);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static void NoStore(HttpResponse response) => response.Headers.CacheControl = "no-store";

    private static IResult Unauthorized() =>
        TypedResults.Problem("Missing or wrong API key (the read-only or the admin key, in X-Api-Key, the recfw-page-key cookie or ?key=).", statusCode: StatusCodes.Status401Unauthorized);
}
