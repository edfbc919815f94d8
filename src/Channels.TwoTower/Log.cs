using Microsoft.Extensions.Logging;

namespace RecFramework.Channels.TwoTower;

/// <summary>Source-generated log messages of the two-tower channel (EventIds 3000–3099 of the TwoTower block).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Channel {Channel}: reading the user-vector cache failed ({Suppressed} more failures since the last warning); computing the user tower instead")]
    public static partial void UserVectorCacheReadFailed(ILogger logger, string channel, int suppressed, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Channel {Channel}: writing the user-vector cache failed ({Suppressed} more failures since the last warning)")]
    public static partial void UserVectorCacheWriteFailed(ILogger logger, string channel, int suppressed, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Channel {Channel}: loaded {Version} in {TotalMs:F0} ms (encoders {EncodersMs:F0}, user tower {TowerMs:F0}, user rows {UserRowsMs:F0}, index {IndexMs:F0})")]
    public static partial void Loaded(ILogger logger, string channel, string version, double totalMs, double encodersMs, double towerMs, double userRowsMs, double indexMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Channel {Channel}: model {Version} pools {HistoryLength} history items per request, so the user-vector cache is bypassed")]
    public static partial void UserVectorCacheBypassed(ILogger logger, string channel, string version, int historyLength);

    [LoggerMessage(EventId = 3090, Level = LogLevel.Information, Message = "Channel {Channel}: loaded matrix-completion version {Version} ({Users} users, {Items} items)")]
    public static partial void MatrixCompletionLoaded(ILogger logger, string channel, string version, int users, long items);
}
