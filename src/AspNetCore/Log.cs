namespace RecFramework.AspNetCore;

/// <summary>Source-generated log messages of the ASP.NET Core integration (EventIds 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Activating artifact {Version} of channel {Channel} failed; the previous version keeps serving: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Experiment configuration reloaded: version {Version}")]
    public static partial void ConfigurationReloaded(ILogger logger, string version);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "{Method} {Route} answered {Status}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string method, string route, int status, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Configuration reload refused; the current configuration keeps serving: {Reason}")]
    public static partial void ReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Shutting down: waiting up to {TimeoutSeconds} s for in-flight requests, then flushing the event log and exposure log")]
    public static partial void ShuttingDown(ILogger logger, int timeoutSeconds);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Runtime: {GcKind} GC, latency mode {LatencyMode}, gen-0 budget {Gen0Budget}, thread-pool minimum {MinThreads}")]
    public static partial void RuntimeSettings(ILogger logger, string gcKind, System.Runtime.GCLatencyMode latencyMode, string gen0Budget, int minThreads);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "Paths (relative ones resolve against the working directory {WorkingDirectory}): artifacts {Artifacts}, event log {Events}, exposure log {Exposures}")]
    public static partial void Paths(ILogger logger, string workingDirectory, string artifacts, string events, string exposures);
}
