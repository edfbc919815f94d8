namespace RecFramework.Experiments.Analysis;

/// <summary>A click (or, in replay, a hit) on an exposed item. Clicks on items never exposed in the request are ignored.</summary>
/// <param name="RequestId">Id of the request whose exposure was clicked.</param>
/// <param name="UserId">External user id.</param>
/// <param name="Day">Day index (0-based).</param>
/// <param name="ItemId">External item id.</param>
/// <param name="Position">0-based position of the clicked item in the response.</param>
/// <param name="Channel">Recall channel the item is attributed to.</param>
/// <param name="Assignment">The user's assignment when the request was served.</param>
public sealed record ClickRecord(string RequestId, long UserId, int Day, long ItemId, int Position, string Channel, AssignmentStamp Assignment);
