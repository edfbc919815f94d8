namespace RecFramework.Experiments.Analysis;

/// <summary>One item shown to a user in a response.</summary>
/// <param name="RequestId">Id of the request that served the item.</param>
/// <param name="UserId">External user id.</param>
/// <param name="Day">Day index (0-based).</param>
/// <param name="ItemId">External item id.</param>
/// <param name="Position">0-based position in the response.</param>
/// <param name="Channel">Recall channel the item is attributed to (the first, best-scoring one when several).</param>
/// <param name="Assignment">The user's assignment when the request was served.</param>
public sealed record ExposureRecord(string RequestId, long UserId, int Day, long ItemId, int Position, string Channel, AssignmentStamp Assignment)
{
    /// <summary>In an interleaving experiment: the variant that placed the item (its positive events are credited to it); null otherwise.</summary>
    public string? Team { get; init; }
}
