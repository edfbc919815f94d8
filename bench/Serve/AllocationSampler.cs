using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace RecFramework.Bench.Serve;

/// <summary>
/// The runtime's allocation sampling in this process (<c>GCAllocationTick</c>: one event per ~100 KB allocated by a thread,
/// naming the type of the object that crossed the mark), summed per type while <see cref="Recording"/> is on: where a
/// path's managed allocations go, without a profiler. Sampled, so a type's share is an estimate that firms up with volume.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>Whether ticks are counted now.</summary>
    public bool Recording { get; set; }

    /// <summary>The <paramref name="count"/> types with the most sampled bytes, and their share of all sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        var total = Math.Max(1, _bytes.Values.Sum());
        return [.. _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value / (double)total))];
    }

    /// <summary>Forgets every sample.</summary>
    public void Clear() => _bytes.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName");
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0)
        {
            return;
        }

        var name = eventData.Payload[type] as string ?? "?";
        var bytes = Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(name, bytes, (_, sum) => sum + bytes);
    }
}
