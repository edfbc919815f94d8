namespace RecFramework.Stores;

/// <summary>
/// The durable, append-only event log: every accepted event gets a unique, increasing sequence number and is kept
/// so that offline builders and audits can replay it.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends <paramref name="events"/> in order, as one batch. When the task completes the events are durable (to
    /// the degree the backend documents) and numbered consecutively in the order given.
    /// </summary>
    /// <returns>The sequence number of the last appended event (the current last sequence for an empty batch; 0 for an empty log).</returns>
    ValueTask<long> AppendAsync(IReadOnlyList<EventRecord> events, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> events with a sequence greater than <paramref name="afterSequence"/>, in sequence order.</summary>
    IAsyncEnumerable<EventRecord> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>Number of events in the log.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);
}
