using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.Experiments.Operations;

namespace RecFramework.AspNetCore;

/// <summary>
/// Lifecycle operations under <c>/admin</c> (admin key): create, start, stop, launch, close-reverse, holdout rotation
/// and the audit trail. Each answers <see cref="ExperimentOperationResult"/> (with <c>dryRun: true</c> nothing is
/// written); a refusal is problem details naming the value: 404 unknown experiment or layer, 400 unknown variant or
/// bad value, 409 wrong status or a store version other than <c>expectedVersion</c>, 422 an invalid resulting
/// configuration (every failure in <c>failures</c>).
/// </summary>
internal static class ExperimentOperationEndpoints
{
    public static void MapExperimentOperationEndpoints(this IEndpointRouteBuilder admin)
    {
        admin.MapPost("/experiments", (CreateExperimentDto body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
                RunAsync(() => operations.CreateAsync(body.Layer, ToOptions(body), ExperimentChangeDto.Request(KeyOf(http), body.DryRun, body.ExpectedVersion, body.Users, body.UserIdFrom, body.UserIdTo), ct)))
            .Describe("AdminCreateExperiment", "Create an experiment in a layer (stopped until started).");
        admin.MapPost("/experiments/{name}/start", (string name, ExperimentChangeDto? body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
                RunAsync(() => operations.StartAsync(name, (body ?? new()).ToRequest(KeyOf(http)), ct)))
            .Describe("AdminStartExperiment", "Start a stopped experiment: it takes its bucket ranges.");
        admin.MapPost("/experiments/{name}/stop", (string name, ExperimentChangeDto? body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
                RunAsync(() => operations.StopAsync(name, (body ?? new()).ToRequest(KeyOf(http)), ct)))
            .Describe("AdminStopExperiment", "Stop a running experiment: its users return to the layer default.");
        admin.MapPost("/experiments/{name}/launch", (string name, LaunchDto body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
                RunAsync(() => operations.LaunchAsync(name, body.Variant, body.ReverseShare, ExperimentChangeDto.Request(KeyOf(http), body.DryRun, body.ExpectedVersion, body.Users, body.UserIdFrom, body.UserIdTo), ct)))
            .Describe("AdminLaunchVariant", "Launch a variant: the layer default for every non-holdout user, except a reverse bucket of reverseShare that keeps the old default.");
        admin.MapPost("/experiments/{name}/close-reverse", (string name, ExperimentChangeDto? body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
                RunAsync(() => operations.CloseReverseBucketAsync(name, (body ?? new()).ToRequest(KeyOf(http)), ct)))
            .Describe("AdminCloseReverseBucket", "Close a launched experiment's reverse bucket: its users get the launched variant.");
        admin.MapPost("/holdout/rotate", (RotateHoldoutDto? body, ExperimentOperations operations, HttpContext http, CancellationToken ct) =>
            {
                body ??= new();
                return RunAsync(() => operations.RotateHoldoutAsync(body.Salt, ExperimentChangeDto.Request(KeyOf(http), body.DryRun, body.ExpectedVersion, body.Users, body.UserIdFrom, body.UserIdTo), ct));
            })
            .Describe("AdminRotateHoldout", "Rotate the holdout: a new salt clears and rebuilds it with the same share.");
        admin.MapGet("/experiments/audit", async (IExperimentStore store, CancellationToken ct) =>
            {
                var stored = await store.ReadAsync(ct).ConfigureAwait(false);
                var entries = await store.ReadAuditAsync(ct).ConfigureAwait(false);
                return TypedResults.Ok(new ExperimentAuditDto(stored?.Version ?? 0, entries));
            })
            .WithName("AdminExperimentAudit")
            .WithSummary("The experiment store's version and audit trail (when, what, which key, before and after).")
            .Produces<ExperimentAuditDto>(StatusCodes.Status200OK);
    }

    /// <summary>The admin key as the audit trail names it: the first 12 hex digits of its SHA-256, never the key.</summary>
    internal static string KeyFingerprint(string key) =>
        "admin-key:sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];

    private static string KeyOf(HttpContext http) =>
        KeyFingerprint(http.RequestServices.GetRequiredService<IOptionsMonitor<ServiceOptions>>().CurrentValue.AdminApiKey ?? "");

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string name, string summary) =>
        route.WithName(name)
            .WithSummary(summary)
            .WithDescription(
                "With dryRun the change is validated and its impact counted (users over userIdFrom–userIdTo, default 1–100000, or the " +
                "users given) without writing. 404 unknown experiment or layer, 400 unknown variant or bad value, 409 wrong status " +
                "or expectedVersion mismatch, 422 resulting configuration invalid (every failure named).")
            .Produces<ExperimentOperationResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> RunAsync(Func<Task<ExperimentOperationResult>> operation)
    {
        try
        {
            return TypedResults.Ok(await operation().ConfigureAwait(false));
        }
        catch (ExperimentOperationException ex)
        {
            return TypedResults.Problem(
                ex.Message,
                statusCode: StatusOf(ex.Error),
                extensions: new Dictionary<string, object?> { ["error"] = ex.Error.ToString(), ["failures"] = ex.Failures });
        }
    }

    internal static int StatusOf(ExperimentOperationError error) => error switch
    {
        ExperimentOperationError.UnknownExperiment => StatusCodes.Status404NotFound,
        ExperimentOperationError.UnknownVariant or ExperimentOperationError.InvalidValue => StatusCodes.Status400BadRequest,
        ExperimentOperationError.WrongStatus or ExperimentOperationError.VersionConflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    private static ExperimentOptions ToOptions(CreateExperimentDto body) => new()
    {
        Name = body.Name ?? "",
        Buckets = [.. body.Buckets ?? []],
        Variants = (body.Variants ?? []).Select(v => new VariantOptions
        {
            Name = v.Name ?? "",
            Share = v.Share,
            Parameters = v.Parameters is null ? [] : new Dictionary<string, string>(v.Parameters, StringComparer.Ordinal),
        }).ToList(),
    };
}
