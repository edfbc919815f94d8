using Microsoft.Extensions.Logging;

namespace RecFramework.Diagnostics;

/// <summary>Source-generated log messages of the Framework assembly (EventIds 1000–1999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Channel {Channel} failed for user {UserId}; skipped")]
    public static partial void ChannelFailed(ILogger logger, string channel, long userId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Channel {Channel} timed out after {TimeoutMs} ms for user {UserId}; skipped")]
    public static partial void ChannelTimedOut(ILogger logger, string channel, double timeoutMs, long userId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Plan names channel {Channel} that is not registered; skipped")]
    public static partial void UnknownChannel(ILogger logger, string channel);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Recommended {Count} items to user {UserId} in {ElapsedMs:F2} ms (cold start: {ColdStart})")]
    public static partial void Recommended(ILogger logger, int count, long userId, double elapsedMs, bool coldStart);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Channel {Channel} is not ready; skipped: {Reason}")]
    public static partial void ChannelNotReady(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Channel {Channel} activated artifact version {Version}")]
    public static partial void Activated(ILogger logger, string channel, string version);
}
