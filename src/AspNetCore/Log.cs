namespace RecFramework.AspNetCore;

/// <summary>Source-generated log messages of the ASP.NET Core integration (EventIds 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Activating artifact {Version} of channel {Channel} failed; the previous version keeps serving: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Experiment configuration reloaded: version {Version}")]
    public static partial void ConfigurationReloaded(ILogger logger, string version);
}
