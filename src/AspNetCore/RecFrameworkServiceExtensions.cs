using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Experiments.Operations;

namespace RecFramework.AspNetCore;

/// <summary>The ASP.NET Core integration: one registration and one mapping give a service RecFramework's HTTP API.</summary>
public static class RecFrameworkServiceExtensions
{
    /// <summary>
    /// Registers what the endpoints need: experiments, the experiment store and its lifecycle operations
    /// (<c>RecFramework:ExperimentStore</c>), the exposure log (<c>RecFramework:ExposureLog</c>) and its live analysis
    /// (<c>RecFramework:LiveAnalysis</c>), the
    /// service options (<c>RecFramework:Service</c>), metrics and telemetry (<c>RecFramework:Telemetry</c>), and the
    /// JSON settings of the answers, problem details (<c>AddProblemDetails</c>), the OpenAPI document
    /// <see cref="RecFrameworkOpenApi.DocumentName"/> and Kestrel's request-line limit raised
    /// to at least <see cref="ServiceOptions.MinRequestLineBytes"/> (so an over-long id is answered 400 with a reason,
    /// not 414 by the server). Idempotent.
    /// </summary>
    public static IRecBuilder AddRecFrameworkService(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddExposureLog();
        builder.AddExperimentStore();
        builder.AddLiveAnalysis();
        if (services.Any(d => d.ServiceType == typeof(ServiceMetrics)))
        {
            return builder;
        }

        services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddServiceTelemetry(builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        RecFrameworkOpenApi.AddDocument(services);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestLineSize = Math.Max(o.Limits.MaxRequestLineSize, ServiceOptions.MinRequestLineBytes));
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, RecommendationJsonContext.Default);
        });
        return builder;
    }

    /// <summary>
    /// Maps the service's endpoints: <c>GET /recommend/{userId}</c>, <c>GET /health</c>, <c>GET /ready</c>,
    /// <c>POST /events</c>, <c>GET /experiments</c>, <c>GET /experiments/assignment/{userId}</c>,
    /// <c>GET /experiments/analysis</c> and the HTML page <c>GET /experiments/page</c> (only when an admin or read-only API key is configured), <c>GET /metrics</c>
    /// (when the telemetry snapshot is on), the <c>/admin</c> endpoints (only when an admin API key is configured) and
    /// the OpenAPI description at <see cref="RecFrameworkOpenApi.DocumentPath"/> (unless
    /// <see cref="ServiceOptions.OpenApiDocument"/> is off).
    /// Needs <see cref="AddRecFrameworkService"/>. Every mapped endpoint answers errors as problem details from one
    /// endpoint filter: a framework error by its code (400 invalid argument or malformed input, 404 unknown channel or
    /// artifact, 422 corrupt artifact or invalid configuration, 503 channel not ready), a bad HTTP request with its own
    /// status, an over-long route value with 400.
    /// </summary>
    public static IEndpointRouteBuilder MapRecFramework(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        _ = app.ServiceProvider.GetRequiredService<MetricsSnapshot>(); // sees every measurement from the first request on
        var options = app.ServiceProvider.GetRequiredService<IOptions<ServiceOptions>>().Value;
        var group = app.MapGroup("").WithGroupName(RecFrameworkOpenApi.DocumentName);
        group.AddEndpointFilter(RecFrameworkProblemFilter.InvokeAsync);
        group.MapRecommendEndpoints();
        group.MapReadinessEndpoints();
        group.MapEventEndpoints();
        group.MapExperimentEndpoints();
        group.MapLiveAnalysisEndpoints(options);
        group.MapExperimentPageEndpoints(options);
        group.MapMetricsEndpoints(configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions());
        group.MapAdminEndpoints(options);
        if (options.OpenApiDocument)
        {
            RecFrameworkOpenApi.MapDocument(app);
        }

        return app;
    }
}
