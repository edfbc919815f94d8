using RecFramework.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Lifecycle;
using RecFramework.Experiments;
using RecFramework.AspNetCore.Telemetry;

namespace RecFramework.AspNetCore;

/// <summary>
/// Admin endpoints under <c>/admin</c>, protected by the <c>X-Api-Key</c> header compared in constant time with
/// <see cref="ServiceOptions.AdminApiKey"/>. With no key configured they are not mapped (404). The key is never logged.
/// </summary>
internal static class AdminEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminApiKey))
        {
            return app;
        }

        var admin = app.MapGroup("/admin").AddEndpointFilter(RequireApiKey)
            .WithTags(ApiTags.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapGet("/channels", ListChannels)
            .WithName("AdminListChannels")
            .WithSummary("Every channel with its active version and stored artifact versions.")
            .WithDescription("A version whose manifest is unreadable is listed with its problem, never fails the listing.")
            .Produces<IReadOnlyList<ChannelListingDto>>(StatusCodes.Status200OK);
        admin.MapPost("/channels/{channel}/activate/{version}", ActivateAsync)
            .WithName("AdminActivateVersion")
            .WithSummary("Activate a stored artifact version of a channel.")
            .WithDescription(
                "Loads the version off the thread pool and swaps it in. 404 when the channel or version is unknown, 400 when " +
                "the channel does not serve artifacts, 422 when the artifact is corrupt.")
            .Produces<ActivationDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/config/reload", ReloadConfiguration)
            .WithName("AdminReloadConfiguration")
            .WithSummary("Reload the configuration files and the experiment configuration.")
            .WithDescription(
                "A file that does not parse, or an experiment configuration that is invalid, is refused with 422 and the " +
                "current configuration keeps serving.")
            .Produces<ReloadDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        admin.MapExperimentOperationEndpoints();
        return app;
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ServiceOptions>>().CurrentValue.AdminApiKey ?? "";
        var given = context.HttpContext.Request.Headers[ApiKeyHeader].ToString();
        if (expected.Length == 0 || !KeysEqual(given, expected))
        {
            return TypedResults.Problem("Missing or wrong admin API key.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Constant-time comparison (hashing first so lengths leak nothing either).</summary>
    internal static bool KeysEqual(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IResult ListChannels(ChannelCatalog catalog, IArtifactStore artifacts, IServiceProvider services)
    {
        var channels = catalog.Names.Select(name =>
        {
            var channel = services.GetRequiredKeyedService<IRecallChannel>(name) as IArtifactChannel;
            // One bad manifest shows as that version's problem, never as a failed listing.
            var versions = artifacts.ListAll(name)
                .Select(l => new ArtifactVersionDto(
                    l.Version, l.IsValid, l.Problem, l.Manifest?.Created, l.Manifest?.Dataset, l.Manifest?.DataFrom, l.Manifest?.DataTo, l.Manifest?.Metrics))
                .ToArray();
            return new ChannelListingDto(name, channel is not null, channel?.ActiveVersion, versions, channel?.PinnedVersions ?? []);
        }).ToArray();
        return TypedResults.Ok(channels);
    }

    private static async Task<IResult> ActivateAsync(
        string channel, string version, ChannelCatalog catalog, ChannelLifecycle lifecycle, ServiceMetrics metrics, ILogger<ServiceMetrics> logger, CancellationToken cancellationToken)
    {
        if (!catalog.Contains(channel))
        {
            return TypedResults.Problem($"Channel '{channel}' is not registered.", statusCode: StatusCodes.Status404NotFound);
        }

        if (lifecycle.ArtifactChannel(channel) is null)
        {
            return TypedResults.Problem($"Channel '{channel}' does not serve artifacts.", statusCode: StatusCodes.Status400BadRequest);
        }

        using var activity = TelemetryRegistration.ActivitySource.StartActivity("activate artifact");
        activity?.SetTag("recfw.channel", channel).SetTag("recfw.version", version);
        try
        {
            // Loading a model and its index is seconds of synchronous CPU and I/O at catalogue scale: off the thread
            // pool at background priority, so that it neither holds a request thread nor takes a core from requests.
            var active = await lifecycle.ActivateVersionAsync(channel, version, offThreadPool: true, cancellationToken).ConfigureAwait(false);
            metrics.Activation(channel, ok: true);
            return TypedResults.Ok(new ActivationDto(channel, active));
        }
        catch (RecFrameworkException ex)
        {
            metrics.Activation(channel, ok: false);
            Log.ActivationFailed(logger, channel, version, ex.Message);
            return TypedResults.Problem(ex.Message, statusCode: ex.Error == RecError.ArtifactNotFound ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static IResult ReloadConfiguration(IConfiguration configuration, IExperimentRouter router, IOptionsMonitor<ExperimentsOptions> experiments, ILogger<ServiceMetrics> logger)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return TypedResults.Problem("Configuration cannot be reloaded.", statusCode: StatusCodes.Status500InternalServerError);
        }

        // A file that does not parse would be emptied by the reload (FileConfigurationProvider clears a provider whose
        // reload fails), so every JSON file is parsed first and a broken one refuses the reload before anything changes.
        if (ConfigurationFiles.FirstParseError(root) is { } parseError)
        {
            Log.ReloadRefused(logger, parseError);
            return TypedResults.Problem($"The configuration file does not parse; the current configuration keeps serving: {parseError}", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            root.Reload();
        }
        catch (InvalidDataException ex)
        {
            var reason = ex.InnerException is null ? ex.Message : $"{Path.GetFileName(ex.Message.TrimEnd('.', '\'', ' '))}: {ex.InnerException.Message}";
            Log.ReloadRefused(logger, reason);
            return TypedResults.Problem($"The configuration could not be reloaded: {reason}", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        IReadOnlyList<string> failures;
        try
        {
            // The router already took the change through its options subscription (and logged a rejection once);
            // asking again returns the verdict.
            if (!router.TryReload(experiments.CurrentValue, out failures))
            {
                return TypedResults.Problem(
                    $"The reloaded experiment configuration is invalid; configuration {router.Current.Version} keeps serving: {string.Join(" | ", failures)}",
                    statusCode: StatusCodes.Status422UnprocessableEntity);
            }
        }
        catch (OptionsValidationException ex)
        {
            return TypedResults.Problem(
                $"The reloaded experiment configuration is invalid; configuration {router.Current.Version} keeps serving: {string.Join(" | ", ex.Failures)}",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        Log.ConfigurationReloaded(logger, router.Current.Version);
        return TypedResults.Ok(new ReloadDto(true, router.Current.Version));
    }
}
