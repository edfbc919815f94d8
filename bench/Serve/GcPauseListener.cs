using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Listens to the runtime's GC events while alive and records every pause (suspension begin → restart end) with the
/// generation of the collection it served, so a phase can say whether its tail comes from many short gen 0 pauses or
/// a few long gen 1 / gen 2 ones, and when they happened (to match them against slow requests).
/// </summary>
internal sealed class GcPauseListener : EventListener
{
    private const int GcStartEvent = 1;
    private const int RestartEndEvent = 3;
    private const int SuspendBeginEvent = 9;
    private const int HeapStatsEvent = 4;
    private const int SuspendEndEvent = 8;
    private const int AllocationTickEvent = 10;
    private const int GcEndEvent = 2;
    private const int MarkWithTypeEvent = 202;
    private readonly Lock _gate = new();
    private readonly List<(long Start, long End, int Generation)> _pauses = [];
    // Runtime events reach a listener on a dispatch thread some time after they happened; their own time stamps are
    // mapped onto the Stopwatch clock from one reading of both clocks.
    private readonly long _baseTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTime _baseTime = DateTime.UtcNow;
    private long _suspendStart;
    private int _generation = -1;
    private readonly List<(int Generation, double PromotedFromGen0, double PinnedObjects, double GcHandles, double PromotedFromGen1)> _heapStats = [];
    private readonly List<double> _suspensionsMs = [];
    private readonly Dictionary<string, double> _allocatedByType = [];
    private readonly List<(long At, int Generation, int Type, int Reason)> _starts = [];
    private readonly Dictionary<(int Generation, string Step), (double Ms, double Bytes, int Count)> _steps = [];
    private long _stepStart;
    private bool _firstMark;
    private List<(double AtMs, string Event)>? _pauseEvents;
    private readonly List<(double Ms, int Generation, IReadOnlyList<(double AtMs, string Event)> Events)> _longPauses = [];

    /// <summary>Pauses at least this long keep the runtime events seen during them (<see cref="LongPauses"/>).</summary>
    public static TimeSpan LongPause { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Each pause of at least <see cref="LongPause"/>: its length, its collection's generation and every runtime GC
    /// event seen during it (milliseconds after the suspension began, event name and payload), at most 60 per pause —
    /// which step of a rare long collection took the time.
    /// </summary>
    public IReadOnlyList<(double Ms, int Generation, IReadOnlyList<(double AtMs, string Event)> Events)> LongPauses
    {
        get
        {
            lock (_gate)
            {
                return _longPauses.ToArray();
            }
        }
    }

    /// <summary>Pauses seen so far: start and end as <see cref="Stopwatch"/> timestamps, and the collection's generation (-1 when not a GC).</summary>
    public IReadOnlyList<(long Start, long End, int Generation)> Pauses
    {
        get
        {
            lock (_gate)
            {
                return _pauses.ToArray();
            }
        }
    }

    /// <summary>
    /// Every collection's start (Stopwatch timestamp), generation, type (0 blocking, 1 background, 2 foreground during a
    /// background one) and the runtime's reason code (0 small allocation, 4 large allocation, 1 induced, …).
    /// </summary>
    public IReadOnlyList<(long At, int Generation, int Type, int Reason)> Starts
    {
        get
        {
            lock (_gate)
            {
                return _starts.ToArray();
            }
        }
    }

    /// <summary>Count, total and longest pause in milliseconds of the collections of <paramref name="generation"/>.</summary>
    public (int Count, double TotalMs, double MaxMs) Summary(int generation)
    {
        var ms = Pauses.Where(p => p.Generation == generation).Select(p => (p.End - p.Start) * 1000.0 / Stopwatch.Frequency).ToArray();
        return (ms.Length, ms.Sum(), ms.Length == 0 ? 0 : ms.Max());
    }

    /// <summary>
    /// Per generation: mean bytes promoted out of gen 0 per collection, and the most pinned objects and GC handles seen
    /// (what a young collection has to scan besides its survivors).
    /// </summary>
    public (double MeanPromotedBytes, double MaxPinnedObjects, double MaxGcHandles) HeapStats(int generation)
    {
        lock (_gate)
        {
            var stats = _heapStats.Where(h => h.Generation == generation).ToArray();
            return stats.Length == 0 ? (0, 0, 0) : (stats.Average(h => h.PromotedFromGen0), stats.Max(h => h.PinnedObjects), stats.Max(h => h.GcHandles));
        }
    }

    /// <summary>Bytes promoted out of gen 1 (into gen 2) by all collections of <paramref name="generation"/> together.</summary>
    public double PromotedFromGen1(int generation)
    {
        lock (_gate)
        {
            return _heapStats.Where(h => h.Generation == generation).Sum(h => h.PromotedFromGen1);
        }
    }

    /// <summary>Time to stop the managed threads (suspension begin → end): total and longest, in milliseconds.</summary>
    public (double TotalMs, double MaxMs) Suspensions()
    {
        lock (_gate)
        {
            return _suspensionsMs.Count == 0 ? (0, 0) : (_suspensionsMs.Sum(), _suspensionsMs.Max());
        }
    }

    /// <summary>
    /// Whether listeners created from now on also take the runtime's allocation samples (verbose GC events, one per
    /// ~100 KB allocated, with its type) for <see cref="TopAllocations"/>; off by default: they cost the service time.
    /// </summary>
    public static bool SampleAllocations { get; set; }

    /// <summary>
    /// The types that took the most sampled allocation (the runtime reports one allocation per ~100 KB allocated, with
    /// its type), as (type, share of the sampled bytes), largest first.
    /// </summary>
    public IReadOnlyList<(string Type, double Share)> TopAllocations(int count)
    {
        lock (_gate)
        {
            var total = _allocatedByType.Values.Sum();
            return total <= 0 ? [] : [.. _allocatedByType.OrderByDescending(kv => kv.Value).Take(count).Select(kv => (kv.Key, kv.Value / total))];
        }
    }

    /// <summary>Forgets every pause, start, statistic and sample so far (a phase starts).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _pauses.Clear();
            _heapStats.Clear();
            _suspensionsMs.Clear();
            _allocatedByType.Clear();
            _starts.Clear();
            _steps.Clear();
            _longPauses.Clear();
        }
    }

    /// <summary>
    /// Where collections of <paramref name="generation"/> spent their time, from the runtime's mark events: per marking
    /// step (roots of one kind: stacks, finalization queue, handles, older generations' cards, …) the mean milliseconds
    /// since the previous step ended and the mean bytes it marked; "after-mark" is from the last mark to the GC's end
    /// (plan, relocate, compact or sweep), "before-mark" from the GC's start to the first mark.
    /// </summary>
    public IReadOnlyList<(string Step, double MeanMs, double MeanBytes)> Steps(int generation)
    {
        lock (_gate)
        {
            return _steps.Where(s => s.Key.Generation == generation).Select(s => (s.Key.Step, MeanMs: s.Value.Ms / s.Value.Count, MeanBytes: s.Value.Bytes / s.Value.Count)).OrderByDescending(s => s.MeanMs).ThenBy(s => s.Step, StringComparer.Ordinal).ToArray();
        }
    }

    private static string MarkStep(int type) => type switch
    {
        0 => "stack",
        1 => "finalize-queue",
        2 => "handles",
        3 => "older-generations",
        4 => "sized-ref",
        5 => "overflow",
        6 => "dependent-handles",
        7 => "new-finalize-queue",
        8 => "steal",
        9 => "background",
        _ => $"type{type}",
    };

    private void Step(string step, long now, double bytes)
    {
        var generation = Volatile.Read(ref _generation);
        var since = Volatile.Read(ref _stepStart);
        if (generation < 0 || since == 0)
        {
            return;
        }

        lock (_gate)
        {
            var (ms, total, count) = _steps.GetValueOrDefault((generation, step));
            _steps[(generation, step)] = (ms + ((now - since) * 1000.0 / Stopwatch.Frequency), total + (double.IsNaN(bytes) ? 0 : bytes), count + 1);
        }

        Volatile.Write(ref _stepStart, now);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, SampleAllocations ? EventLevel.Verbose : EventLevel.Informational, (EventKeywords)0x1); // GC keyword; verbose adds the allocation ticks
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        var now = _baseTimestamp + (long)((eventData.TimeStamp.ToUniversalTime() - _baseTime).TotalSeconds * Stopwatch.Frequency);
        if (eventData.EventId != AllocationTickEvent && Volatile.Read(ref _suspendStart) is var pauseStart and not 0)
        {
            lock (_gate)
            {
                if (_pauseEvents is { Count: < 60 } events)
                {
                    events.Add(((now - pauseStart) * 1000.0 / Stopwatch.Frequency, Describe(eventData)));
                }
            }
        }

        switch (eventData.EventId)
        {
            case SuspendBeginEvent:
                Volatile.Write(ref _suspendStart, now);
                Volatile.Write(ref _generation, -1);
                lock (_gate)
                {
                    _pauseEvents = [(0, Describe(eventData))];
                }

                break;
            case GcStartEvent:
                var depth = eventData.PayloadNames?.IndexOf("Depth") ?? -1;
                if (depth >= 0 && eventData.Payload![depth] is uint generation)
                {
                    Volatile.Write(ref _generation, (int)generation);
                    Volatile.Write(ref _stepStart, now);
                    _firstMark = true;
                    lock (_gate)
                    {
                        _starts.Add((now, (int)generation, (int)Payload(eventData, "Type"), (int)Payload(eventData, "Reason")));
                    }
                }

                break;
            case MarkWithTypeEvent:
                Step(_firstMark ? "before-mark+" + MarkStep((int)Payload(eventData, "Type")) : MarkStep((int)Payload(eventData, "Type")), now, Payload(eventData, "Bytes"));
                _firstMark = false;
                break;
            case GcEndEvent:
                Step("after-mark", now, double.NaN);
                Volatile.Write(ref _stepStart, 0);
                break;
            case SuspendEndEvent:
                var begun = Volatile.Read(ref _suspendStart);
                if (begun != 0)
                {
                    lock (_gate)
                    {
                        _suspensionsMs.Add((now - begun) * 1000.0 / Stopwatch.Frequency);
                    }
                }

                break;
            case AllocationTickEvent:
                var type = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
                var amount = Payload(eventData, "AllocationAmount64");
                if (type >= 0 && eventData.Payload![type] is string name)
                {
                    lock (_gate)
                    {
                        _allocatedByType[name] = _allocatedByType.GetValueOrDefault(name) + (double.IsNaN(amount) ? Payload(eventData, "AllocationAmount") : amount);
                    }
                }

                break;
            case HeapStatsEvent:
                lock (_gate)
                {
                    _heapStats.Add((Volatile.Read(ref _generation), Payload(eventData, "TotalPromotedSize0"), Payload(eventData, "PinnedObjectCount"), Payload(eventData, "GCHandleCount"), Payload(eventData, "TotalPromotedSize1")));
                }

                break;
            case RestartEndEvent:
                var start = Volatile.Read(ref _suspendStart);
                if (start != 0)
                {
                    lock (_gate)
                    {
                        _pauses.Add((start, now, Volatile.Read(ref _generation)));
                        var ms = (now - start) * 1000.0 / Stopwatch.Frequency;
                        if (ms >= LongPause.TotalMilliseconds && _pauseEvents is { } events)
                        {
                            _longPauses.Add((ms, Volatile.Read(ref _generation), events));
                        }

                        _pauseEvents = null;
                    }
                }

                Volatile.Write(ref _suspendStart, 0);
                break;
        }
    }

    /// <summary>An event's name and payload (<c>name=value</c> pairs), shortened.</summary>
    private static string Describe(EventWrittenEventArgs e)
    {
        var text = e.EventName ?? $"event{e.EventId}";
        if (e.PayloadNames is { Count: > 0 } names && e.Payload is { } values)
        {
            text += " " + string.Join(' ', names.Zip(values).Where(p => p.First != "ClrInstanceID").Select(p => $"{p.First}={Convert.ToString(p.Second, System.Globalization.CultureInfo.InvariantCulture)}"));
        }

        return text.Length <= 400 ? text : text[..400];
    }

    private static double Payload(EventWrittenEventArgs e, string name)
    {
        var at = e.PayloadNames?.IndexOf(name) ?? -1;
        return at >= 0 ? Convert.ToDouble(e.Payload![at], System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
    }
}
