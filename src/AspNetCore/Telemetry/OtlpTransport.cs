namespace RecFramework.AspNetCore.Telemetry;

/// <summary>The OTLP transport of <see cref="TelemetryOptions.OtlpProtocol"/>.</summary>
public enum OtlpTransport
{
    /// <summary>OTLP over HTTP with protobuf bodies (<c>/v1/metrics</c>, <c>/v1/traces</c>).</summary>
    HttpProtobuf,

    /// <summary>OTLP over gRPC.</summary>
    Grpc,
}
