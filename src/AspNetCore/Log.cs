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
}
