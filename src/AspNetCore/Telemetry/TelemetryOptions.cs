using System.ComponentModel.DataAnnotations;

namespace RecFramework.AspNetCore.Telemetry;

/// <summary>
/// OpenTelemetry export and the built-in metrics snapshot (section <c>RecFramework:Telemetry</c>). With no
/// <see cref="OtlpEndpoint"/> nothing is exported, so the service runs without a collector.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Telemetry";

    /// <summary>OTLP collector endpoint (e.g. <c>http://otel-collector:4318</c>); empty turns the export off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (port 4318, the default) or <c>Grpc</c> (port 4317).</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.HttpProtobuf;

    /// <summary>How often metrics are pushed to the collector, in milliseconds.</summary>
    [Range(100, 3_600_000)]
    public int ExportIntervalMs { get; set; } = 15_000;

    /// <summary>Also export traces (one span per HTTP request, tagged with request id and assignment).</summary>
    public bool Tracing { get; set; } = true;

    /// <summary><c>service.name</c> of the exported resource.</summary>
    [Required]
    [MinLength(1)]
    public string ServiceName { get; set; } = "recframework-host";

    /// <summary>Map <c>GET /metrics</c>: a JSON snapshot of every instrument, readable without a collector.</summary>
    public bool SnapshotEndpoint { get; set; } = true;

    /// <summary>True when an OTLP endpoint is configured.</summary>
    public bool Exports => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
