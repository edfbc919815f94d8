using Microsoft.Extensions.Logging;

namespace RecFramework.Channels.ItemCF;

/// <summary>Source-generated log messages of the ItemCF assembly (EventIds 2000–2099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Channel {Channel} published {Lists} neighbour lists of version {Version} to the store in {ElapsedMs:F0} ms")]
    public static partial void NeighboursPublished(ILogger logger, string channel, int lists, string version, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Channel {Channel} found neighbour lists of version {Version} already published in the store")]
    public static partial void NeighboursAlreadyPublished(ILogger logger, string channel, string version);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Channel {Channel} waits for another replica to publish neighbour lists of version {Version}")]
    public static partial void NeighboursAwaitingPublication(ILogger logger, string channel, string version);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Channel {Channel} could not release its claim on version {Version} after a failed publication; other replicas wait for the lease to run out")]
    public static partial void ClaimReleaseFailed(ILogger logger, string channel, string version, Exception exception);
}
