namespace RecFramework.Bench.Serve;

/// <summary>Latencies (ms) of one load phase in a preallocated array (bounded memory), plus failure counts.</summary>
internal sealed class LatencyLog(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private int _count;
    private long _failed;
    private long _dropped;

    public int Count => Math.Min(Volatile.Read(ref _count), _values.Length);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Successful requests beyond the capacity (counted, not kept).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(double ms)
    {
        var at = Interlocked.Increment(ref _count) - 1;
        if (at < _values.Length)
        {
            _values[at] = ms;
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Fail() => Interlocked.Increment(ref _failed);

    public double Percentile(double q)
    {
        var n = Count;
        if (n == 0)
        {
            return double.NaN;
        }

        var sorted = _values.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(q * n) - 1, 0, n - 1)];
    }
}
