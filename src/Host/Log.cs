namespace RecFramework.Host;

/// <summary>Source-generated log messages of the Host assembly (EventIds 5100–5199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Shutting down: waiting up to {TimeoutSeconds} s for in-flight requests, then flushing the event log and exposure log")]
    public static partial void ShuttingDown(ILogger logger, int timeoutSeconds);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Runtime: {GcKind} GC, latency mode {LatencyMode}, gen-0 budget {Gen0Budget}, thread-pool minimum {MinThreads}")]
    public static partial void RuntimeSettings(ILogger logger, string gcKind, System.Runtime.GCLatencyMode latencyMode, string gen0Budget, int minThreads);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Paths (relative ones resolve against the working directory {WorkingDirectory}): artifacts {Artifacts}, event log {Events}, exposure log {Exposures}")]
    public static partial void Paths(ILogger logger, string workingDirectory, string artifacts, string events, string exposures);
}
