namespace RecFramework.Stores;

/// <summary>One event as it is kept in the durable event log.</summary>
/// <param name="Event">The interaction (user, item, type, unix-seconds time, weight).</param>
/// <param name="RequestId">The id of the recommendation request that produced the item, when known.</param>
/// <param name="Assignment">
/// The experiment tag of that request (layer/experiment/variant/bucket/config version); opaque to the store.
/// </param>
/// <param name="Sequence">Position in the log, assigned by the store on append (1, 2, …); 0 before.</param>
public sealed record EventRecord(Interaction Event, string? RequestId = null, string? Assignment = null, long Sequence = 0);
