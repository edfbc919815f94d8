using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RecFramework.AspNetCore.Telemetry;

/// <summary>Registers the Host's metrics, the <c>/metrics</c> snapshot and, when configured, the OpenTelemetry OTLP export.</summary>
internal static class TelemetryRegistration
{
    /// <summary>Activity source of the Host's own spans (hot swaps); HTTP spans come from ASP.NET Core.</summary>
    public static readonly ActivitySource ActivitySource = new(ServiceMetrics.MeterName);

    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<MetricsSnapshot>();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Exports)
        {
            return services;
        }

        var endpoint = new Uri(options.OtlpEndpoint!.TrimEnd('/'), UriKind.Absolute);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(MetricsSnapshot.Meters)
                .AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, options, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.ExportIntervalMs;
                }));
        if (options.Tracing)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(ActivitySource.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddOtlpExporter(exporter => Configure(exporter, options, endpoint, "v1/traces")));
        }

        return services;
    }

    /// <summary>For HTTP/protobuf the signal path is appended to the base endpoint, as the OTLP spec's OTEL_EXPORTER_OTLP_ENDPOINT does.</summary>
    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        if (options.OtlpProtocol == OtlpTransport.Grpc)
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
    }
}
