using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.AspNetCore;

/// <summary>
/// The one place where the endpoints of <see cref="RecFrameworkServiceExtensions.MapRecFramework"/> turn errors into
/// problem details: route values longer than <see cref="ServiceOptions.MaxRouteValueLength"/> are refused before the
/// handler runs; a <see cref="RecFrameworkException"/> answers by its <see cref="RecError"/> (see
/// <see cref="StatusOf"/>); a <see cref="BadHttpRequestException"/> answers with its own status; and every problem
/// answer is sanitized (values cut, the artifact root never shown).
/// </summary>
internal static class RecFrameworkProblemFilter
{
    /// <summary>The HTTP status of a framework error.</summary>
    public static int StatusOf(RecError error) => error switch
    {
        RecError.InvalidArgument or RecError.MalformedInput => StatusCodes.Status400BadRequest,
        RecError.UnknownChannel or RecError.ArtifactNotFound => StatusCodes.Status404NotFound,
        RecError.ArtifactCorrupt or RecError.InvalidConfiguration => StatusCodes.Status422UnprocessableEntity,
        RecError.ChannelNotReady => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The endpoint filter.</summary>
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var limits = services.GetRequiredService<IOptionsMonitor<ServiceOptions>>().CurrentValue;
        foreach (var (name, raw) in http.Request.RouteValues)
        {
            if (raw is string value && value.Length > limits.MaxRouteValueLength)
            {
                var max = string.Equals(name, "userId", StringComparison.Ordinal) ? limits.MaxUserIdLength : limits.MaxRouteValueLength;
                return Reject(http, Problems.BadInput(name, value, $"has {value.Length} characters; at most {max} are allowed"));
            }
        }

        var root = services.GetService<IOptions<ArtifactStoreOptions>>()?.Value.Root;
        try
        {
            var result = await next(context).ConfigureAwait(false);
            if ((result is INestedHttpResult nested ? nested.Result : result) is ProblemHttpResult problem)
            {
                problem.ProblemDetails.Detail = ProblemText.Sanitize(problem.ProblemDetails.Detail ?? "", root);
            }

            return result;
        }
        catch (RecFrameworkException ex)
        {
            var status = StatusOf(ex.Error);
            var detail = ProblemText.Sanitize(ex.Message, root);
            return Reject(http, TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { ["error"] = ex.Error.ToString() }));
        }
        catch (BadHttpRequestException ex)
        {
            return Reject(http, TypedResults.Problem(ProblemText.Sanitize(ex.Message, root), statusCode: ex.StatusCode));
        }
    }

    private static ProblemHttpResult Reject(HttpContext http, ProblemHttpResult problem)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RecFramework.AspNetCore.Problems");
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        Log.RequestRefused(logger, http.Request.Method, route, problem.StatusCode, problem.ProblemDetails.Detail ?? "");
        return problem;
    }
}
