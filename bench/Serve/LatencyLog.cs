namespace RecFramework.Bench.Serve;

/// <summary>
/// Latencies (ms) of one load phase with each request's scheduled start (Stopwatch timestamp) in preallocated arrays
/// (bounded memory), plus failure counts.
/// </summary>
internal sealed class LatencyLog(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly long[] _scheduled = new long[capacity];
    private int _count;
    private long _failed;
    private long _dropped;

    public int Count => Math.Min(Volatile.Read(ref _count), _values.Length);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Successful requests beyond the capacity (counted, not kept).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(double ms, long scheduled = 0)
    {
        var at = Interlocked.Increment(ref _count) - 1;
        if (at < _values.Length)
        {
            _values[at] = ms;
            _scheduled[at] = scheduled;
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Fail() => Interlocked.Increment(ref _failed);

    public double Percentile(double q) => Percentile(q, _ => true);

    /// <summary>The q-quantile of the requests whose scheduled start satisfies <paramref name="include"/>; NaN when none does.</summary>
    public double Percentile(double q, Func<long, bool> include)
    {
        var n = Count;
        var kept = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            if (include(_scheduled[i]))
            {
                kept.Add(_values[i]);
            }
        }

        if (kept.Count == 0)
        {
            return double.NaN;
        }

        kept.Sort();
        return kept[Math.Clamp((int)Math.Ceiling(q * kept.Count) - 1, 0, kept.Count - 1)];
    }

    /// <summary>Requests whose scheduled start satisfies <paramref name="include"/>.</summary>
    public int CountWhere(Func<long, bool> include)
    {
        var n = Count;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            count += include(_scheduled[i]) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Requests slower than <paramref name="seconds"/> (latency counted from the scheduled start) whose interval
    /// [scheduled start, end] satisfies <paramref name="include"/> (Stopwatch timestamps); all slow ones when null.
    /// </summary>
    public int CountSlowerThan(double seconds, Func<long, long, bool>? include = null)
    {
        var n = Count;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (_values[i] > seconds * 1000)
            {
                var end = _scheduled[i] + (long)(_values[i] / 1000 * System.Diagnostics.Stopwatch.Frequency);
                count += include is null || include(_scheduled[i], end) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Appends one CSV row per request (<c>phase,request,scheduled_ms,latency_ms</c>, times relative to <paramref name="origin"/>).</summary>
    public void WriteCsv(TextWriter writer, string phase, long origin)
    {
        var n = Count;
        for (var i = 0; i < n; i++)
        {
            var at = (_scheduled[i] - origin) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
            writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{phase},request,{at:F3},{_values[i]:F3}"));
        }
    }

    /// <summary>Writes the log (latencies, scheduled starts, failures) for another process to read back.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        var n = Count;
        writer.Write(n);
        writer.Write(Failed);
        for (var i = 0; i < n; i++)
        {
            writer.Write(_values[i]);
            writer.Write(_scheduled[i]);
        }
    }

    /// <summary>A log written by <see cref="WriteTo"/> (Stopwatch timestamps are comparable across processes on Linux: both use the monotonic clock).</summary>
    public static LatencyLog ReadFrom(BinaryReader reader)
    {
        var n = reader.ReadInt32();
        var failed = reader.ReadInt64();
        var log = new LatencyLog(Math.Max(1, n));
        for (var i = 0; i < n; i++)
        {
            var ms = reader.ReadDouble();
            log.Add(ms, reader.ReadInt64());
        }

        log._failed = failed;
        return log;
    }
}
