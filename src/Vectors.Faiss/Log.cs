using Microsoft.Extensions.Logging;

namespace RecFramework.Vectors.Faiss;

/// <summary>Source-generated log messages of the Vectors.Faiss assembly (EventIds 7000–7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Vector index recall audit failed; sample skipped")]
    public static partial void AuditFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Vector index recall@{K} = {Recall:F4} (index {Description})")]
    public static partial void Audited(ILogger logger, int k, double recall, string description);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Vector index {Description} stores compressed codes, not its vectors: its recall is not audited")]
    public static partial void AuditUnavailable(ILogger logger, string description);
}
