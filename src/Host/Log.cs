namespace RecFramework.Host;

/// <summary>Source-generated log messages of the Host assembly (EventIds 5100–5199; the start-up loader keeps 5001–5003).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Channel {Channel} hot-swapped to artifact {Version} (was {Previous})")]
    public static partial void Activated(ILogger logger, string channel, string version, string previous);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Activating artifact {Version} of channel {Channel} failed; the previous version keeps serving: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Shutting down: waiting up to {TimeoutSeconds} s for in-flight requests, then flushing the event log and exposure log")]
    public static partial void ShuttingDown(ILogger logger, int timeoutSeconds);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Runtime: {GcKind} GC, latency mode {LatencyMode}, gen-0 budget {Gen0Budget}, thread-pool minimum {MinThreads}")]
    public static partial void RuntimeSettings(ILogger logger, string gcKind, System.Runtime.GCLatencyMode latencyMode, string gen0Budget, int minThreads);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Experiment configuration reloaded: version {Version}")]
    public static partial void ConfigurationReloaded(ILogger logger, string version);
}
