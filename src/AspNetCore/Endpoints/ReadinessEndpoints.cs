using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using RecFramework.Channels;
using RecFramework.Lifecycle;
using RecFramework.Pipeline;

namespace RecFramework.AspNetCore;

/// <summary>
/// <c>GET /ready</c>: 503 while start-up is still bringing channels up (naming the channel being built or opened and
/// those still waiting), then 200 when every enabled artifact-backed channel that some request can reach serves a
/// version, else 503 listing the rest. Channels start-up skipped as unreachable are listed, not waited for.
/// </summary>
internal static class ReadinessEndpoints
{
    public static IEndpointRouteBuilder MapReadinessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ready", (ChannelCatalog catalog, IOptionsMonitor<ChannelOptions> options, ChannelLifecycle lifecycle, ChannelStartupService startup) =>
        {
            var outcomes = startup.Outcomes;
            var unreachable = outcomes.Where(o => o.Outcome == ChannelBringUpOutcome.Unreachable).Select(o => o.Channel).ToArray();
            if (!startup.Completed)
            {
                var done = outcomes.Select(o => o.Channel).ToHashSet(StringComparer.Ordinal);
                var waiting = catalog.Names.Where(n => !done.Contains(n) && n != startup.Current && lifecycle.ArtifactChannel(n) is not null).ToArray();
                return Results.Json(new StartingDto("starting", startup.Stage, startup.Current, waiting, unreachable), statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var unready = catalog.Names
                .Where(n => options.Get(n).Enabled && !unreachable.Contains(n, StringComparer.Ordinal))
                .Where(n => lifecycle.ArtifactChannel(n) is { ActiveVersion: null })
                .ToArray();
            return unready.Length == 0
                ? Results.Ok(new ReadyDto("ready", unreachable))
                : Results.Json(new NotReadyDto("not ready", unready, unreachable), statusCode: StatusCodes.Status503ServiceUnavailable);
        })
        .WithName("Ready")
        .WithTags(ApiTags.Health)
        .WithSummary("Readiness: every reachable artifact-backed channel serves a version.")
        .WithDescription(
            "200 when start-up is done and every enabled artifact-backed channel that some request can reach serves a " +
            "version. 503 otherwise: while start-up runs the answer is a StartingDto (status 'starting', stage, building, " +
            "waiting, unreachable); after it, a NotReadyDto (status 'not ready', unready, unreachable).")
        .Produces<ReadyDto>(StatusCodes.Status200OK)
        .Produces<NotReadyDto>(StatusCodes.Status503ServiceUnavailable)
        .AddOpenApiOperationTransformer(DescribeUnavailableAsync);
        return app;
    }

    /// <summary>The 503 answer is one of two shapes: <see cref="StartingDto"/> during start-up, <see cref="NotReadyDto"/> after.</summary>
    private static async Task DescribeUnavailableAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        if (operation.Responses is null || !operation.Responses.TryGetValue("503", out var response)
            || response.Content is null || !response.Content.TryGetValue("application/json", out var content))
        {
            return;
        }

        document.AddComponent(nameof(StartingDto), await context.GetOrCreateSchemaAsync(typeof(StartingDto), null, cancellationToken).ConfigureAwait(false));
        document.AddComponent(nameof(NotReadyDto), await context.GetOrCreateSchemaAsync(typeof(NotReadyDto), null, cancellationToken).ConfigureAwait(false));
        content.Schema = new OpenApiSchema
        {
            OneOf = [new OpenApiSchemaReference(nameof(StartingDto), document), new OpenApiSchemaReference(nameof(NotReadyDto), document)],
        };
    }
}
