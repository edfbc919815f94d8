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

    [LoggerMessage(EventId = 1912, Level = LogLevel.Warning, Message = "Learned fusion asked but {Reason}: using {Fusion} (logged once)")]
    public static partial void LearnedFusionUnavailable(ILogger logger, string reason, RecFramework.Pipeline.FusionMode fusion);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Channel {Channel} is not ready; skipped: {Reason}")]
    public static partial void ChannelNotReady(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Channel {Channel} activated artifact version {Version}")]
    public static partial void Activated(ILogger logger, string channel, string version);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Channel {Channel}: building from {Dataset} ({Events} events)")]
    public static partial void Building(ILogger logger, string channel, string dataset, int events);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Channel {Channel}: built {Version} in {Seconds:F1} s")]
    public static partial void Built(ILogger logger, string channel, string version, double seconds);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Channel {Channel}: build {Outcome} after {Seconds:F1} s; nothing published, staged drafts removed: {Discarded}")]
    public static partial void BuildAbandoned(ILogger logger, string channel, string outcome, double seconds, string discarded);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Channel {Channel}: opening published version {Version}")]
    public static partial void Opening(ILogger logger, string channel, string version);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Channel {Channel}: serving {Version} (was {Previous}); activated in {Seconds:F1} s")]
    public static partial void Switched(ILogger logger, string channel, string version, string previous, double seconds);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Channel {Channel}: not started, {Reason}")]
    public static partial void Skipped(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Channel {Channel} has no usable version and stays unready: {Reason}")]
    public static partial void NotBroughtUp(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Channel {Channel}: version {Version} skipped at start-up: {Reason}")]
    public static partial void VersionSkipped(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Seeded the online stores from {Dataset} ({Events} events)")]
    public static partial void Seeded(ILogger logger, string dataset, int events);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "Start-up finished in {Seconds:F1} s: {Ready} channel(s) serving, {Unready} without a version")]
    public static partial void StartupFinished(ILogger logger, double seconds, int ready, int unready);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "Start-up: compacted the managed heap in {Seconds:F1} s: {BeforeMb:F0} MB -> {AfterMb:F0} MB, {FragmentedBeforeMb:F0} MB -> {FragmentedAfterMb:F0} MB of it free space between objects (RecFramework:Startup:CompactHeapAboveMb)")]
    public static partial void HeapCompacted(ILogger logger, double seconds, double beforeMb, double afterMb, double fragmentedBeforeMb, double fragmentedAfterMb);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Channel {Channel}: published {Version} was built from {BuiltFrom}, but the start-up data is {StartupData}; policy {Policy} (RecFramework:Startup:OnDataMismatch)")]
    public static partial void DataMismatch(ILogger logger, string channel, string version, string builtFrom, string startupData, Lifecycle.DataMismatchPolicy policy);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Information, Message = "Channel {Channel}: not built or loaded, no request can reach it ({Reason}); RecFramework:Startup:SkipUnreachable")]
    public static partial void Unreachable(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "Background start-up failed: {Reason}; channels without a version stay unready")]
    public static partial void StartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1090, Level = LogLevel.Information, Message = "Channel {Channel}: pinned version {Version} loaded in {Seconds:F1} s")]
    public static partial void PinnedVersionLoaded(ILogger logger, string channel, string version, double seconds);

    [LoggerMessage(EventId = 1091, Level = LogLevel.Warning, Message = "Channel {Channel}: pinned version {Version} cannot be served: {Reason}")]
    public static partial void PinnedVersionFailed(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 1092, Level = LogLevel.Information, Message = "Channel {Channel}: pinned version {Version} retired: {Reason}")]
    public static partial void PinnedVersionRetired(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 1093, Level = LogLevel.Debug, Message = "Channel {Channel} skipped: {Reason}")]
    public static partial void PinnedVersionRefused(ILogger logger, string channel, string reason);
}
