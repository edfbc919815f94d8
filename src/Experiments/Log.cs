using Microsoft.Extensions.Logging;

namespace RecFramework.Experiments;

/// <summary>Source-generated log messages of the Experiments assembly (EventIds 6000–6999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Experiments configuration {Version} active ({Layers} layers, {BucketCount} buckets, {HoldoutBuckets} holdout buckets)")]
    public static partial void ConfigurationActivated(ILogger logger, string version, int layers, int bucketCount, int holdoutBuckets);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Experiments configuration reload rejected; still serving {Version}. Failures: {Failures}")]
    public static partial void ReloadRejected(ILogger logger, string version, string failures);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Trace, Message = "Assigned user {UserId}: {Tag}")]
    public static partial void Assigned(ILogger logger, long userId, string tag);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Experiments configuration reload failed; still serving {Version}")]
    public static partial void ReloadFailed(ILogger logger, string version, Exception exception);
}
