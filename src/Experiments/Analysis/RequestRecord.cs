namespace RecFramework.Experiments.Analysis;

/// <summary>
/// One served request. Optional in a log (requests are otherwise inferred from exposures), but needed to count
/// requests that returned nothing.
/// </summary>
/// <param name="RequestId">Unique request id.</param>
/// <param name="UserId">External user id.</param>
/// <param name="Day">Day index of the request (0-based, simulated or calendar day since the period start).</param>
/// <param name="K">Number of items asked for.</param>
/// <param name="Assignment">The user's assignment when the request was served.</param>
public sealed record RequestRecord(string RequestId, long UserId, int Day, int K, AssignmentStamp Assignment);
