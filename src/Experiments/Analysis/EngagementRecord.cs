namespace RecFramework.Experiments.Analysis;

/// <summary>
/// A positive event other than a click on an exposed item: a like, share, comment, collect, or a dwell or completion with
/// its value. Like clicks, events on items never exposed in the request are ignored by the analysis.
/// </summary>
/// <param name="RequestId">Id of the request whose exposure the event follows.</param>
/// <param name="UserId">External user id.</param>
/// <param name="Day">Day index.</param>
/// <param name="ItemId">External item id.</param>
/// <param name="Position">0-based position of the item in the response.</param>
/// <param name="Channel">Recall channel the item is attributed to.</param>
/// <param name="Type">The event's kind, a name of <see cref="InteractionTypes.Names"/> ("like", "dwell"…).</param>
/// <param name="Value">Dwell seconds or completed fraction for the kinds that take a value; null otherwise.</param>
/// <param name="Assignment">The user's assignment when the request was served.</param>
public sealed record EngagementRecord(string RequestId, long UserId, int Day, long ItemId, int Position, string Channel, string Type, double? Value,
    AssignmentStamp Assignment);
