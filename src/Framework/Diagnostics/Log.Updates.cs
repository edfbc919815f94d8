using Microsoft.Extensions.Logging;

namespace RecFramework.Diagnostics;

/// <summary>Log messages of the model-update worker (EventIds 1900–1919 of the Framework block).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "Update of {Channel} ({Kind}): {Version} built from {Events} events ({Since} .. {Until}, {NewUsers} new users, {NewItems} new items) in {Seconds:F1} s; active: {Active}")]
    public static partial void UpdateBuilt(ILogger logger, string channel, string kind, string version, int events, DateTimeOffset since, DateTimeOffset until, int newUsers, int newItems, double seconds, string active);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Update of {Channel} skipped: the event log holds no events from {Since} to {Until} ({Scanned} read)")]
    public static partial void UpdateSkipped(ILogger logger, string channel, DateTimeOffset since, DateTimeOffset until, long scanned);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Error, Message = "Update of {Channel} failed (attempt {Attempt}); the serving version stays; retrying in {RetrySeconds:F0} s")]
    public static partial void UpdateFailed(ILogger logger, string channel, int attempt, double retrySeconds, Exception exception);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Update of {Channel}: {Version} published but not activated: recall@20 {Candidate:F4} on the held-out slice ({Users} users) is more than {Margin:P0} below the serving {Serving} ({ServingRecall:F4})")]
    public static partial void GateRejected(ILogger logger, string channel, string version, double candidate, int users, double margin, string serving, double servingRecall);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Information, Message = "Update of {Channel}: {Version} passed the gate: recall@20 {Candidate:F4} on the held-out slice ({Users} users), serving {Serving} {ServingRecall:F4}")]
    public static partial void GatePassed(ILogger logger, string channel, string version, double candidate, int users, string serving, double servingRecall);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Information, Message = "Update of {Channel} left to {Owner}: it holds the lease until {Expires}")]
    public static partial void LeaseHeld(ILogger logger, string channel, string owner, DateTimeOffset expires);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Information, Message = "Periodic update of {Channel} left out: the daily full update runs at the same tick")]
    public static partial void PeriodicReplacedByFull(ILogger logger, string channel);

    [LoggerMessage(EventId = 1907, Level = LogLevel.Information, Message = "Retention of {Channel}: deleted {Deleted} (keeping the newest {Keep} and {Kept})")]
    public static partial void VersionsDeleted(ILogger logger, string channel, string deleted, int keep, string kept);

    [LoggerMessage(EventId = 1908, Level = LogLevel.Warning, Message = "Retention of {Channel}: {Version} could not be deleted: {Reason}")]
    public static partial void VersionNotDeleted(ILogger logger, string channel, string version, string reason);

    [LoggerMessage(EventId = 1909, Level = LogLevel.Information, Message = "Update of {Channel}: removed {Folders}, left by builds or deletions that were interrupted before this worker started")]
    public static partial void LeftoversDeleted(ILogger logger, string channel, string folders);

    [LoggerMessage(EventId = 1910, Level = LogLevel.Information, Message = "Artifact watch: {Channel} was activated as {Version} in the store; swapping from {Previous}")]
    public static partial void WatchSwapping(ILogger logger, string channel, string version, string previous);

    [LoggerMessage(EventId = 1911, Level = LogLevel.Warning, Message = "Artifact watch: {Channel} {Version}, active in the store, does not load here ({Reason}); this replica keeps {Serving} and retries when the store names another version")]
    public static partial void WatchFailed(ILogger logger, string channel, string version, string reason, string serving);

    [LoggerMessage(EventId = 1913, Level = LogLevel.Warning, Message = "Update of {Channel}: {Version} published but not activated: its update started at {Started} from {Base}, which does not descend from the full version {Full} (started at {FullStarted}) on the line of the serving {Serving}")]
    public static partial void UpdateSuperseded(ILogger logger, string channel, string version, string started, string @base, string full, string fullStarted, string serving);

    [LoggerMessage(EventId = 1914, Level = LogLevel.Information, Message = "Update of {Channel} reads the event log after sequence {Sequence}, the last that the serving {Serving} consumed")]
    public static partial void UpdateResumes(ILogger logger, string channel, long sequence, string serving);
}
