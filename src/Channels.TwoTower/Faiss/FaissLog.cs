using Microsoft.Extensions.Logging;

namespace RecFramework.Channels.TwoTower.Faiss;

/// <summary>Source-generated log messages of the Faiss vector index (EventIds 3900–3949 of the TwoTower block).</summary>
internal static partial class FaissLog
{
    [LoggerMessage(EventId = 3900, Level = LogLevel.Warning, Message = "Vector index recall audit failed; sample skipped")]
    public static partial void AuditFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3901, Level = LogLevel.Debug, Message = "Vector index recall@{K} = {Recall:F4} (index {Description})")]
    public static partial void Audited(ILogger logger, int k, double recall, string description);

    [LoggerMessage(EventId = 3902, Level = LogLevel.Information, Message = "Vector index {Description} stores compressed codes, not its vectors: its recall is not audited")]
    public static partial void AuditUnavailable(ILogger logger, string description);
}
