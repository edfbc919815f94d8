using Microsoft.Extensions.Logging;

namespace RecFramework.Experiments;

/// <summary>Log messages of the experiment store and lifecycle operations (EventIds 6100–6149).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Experiment store version {StoreVersion} picked up")]
    public static partial void StoreVersionPickedUp(ILogger logger, long storeVersion);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Experiment store could not be read; store version {StoreVersion} keeps serving: {Reason}")]
    public static partial void StoreReadFailed(ILogger logger, long storeVersion, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Experiment operation {Operation} on {Target} by {Key}: store version {StoreVersion}, configuration {ConfigVersion}")]
    public static partial void OperationApplied(ILogger logger, string operation, string target, string key, long storeVersion, string configVersion);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Experiment operation {Operation} on {Target} by {Key} refused ({Error}): {Reason}")]
    public static partial void OperationRefused(ILogger logger, string operation, string target, string key, string error, string reason);
}
