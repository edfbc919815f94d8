using System.Diagnostics;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Samples the thread pool every 5 ms on its own thread while alive: the longest work-item queue and the most threads
/// seen, which tell thread-pool starvation (work waiting for a thread) apart from CPU saturation; and with each sample
/// a probe work item that records how long it waited for a thread (what a request's next step waited at that moment).
/// </summary>
internal sealed class ThreadPoolSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private readonly object _gate = new();
    private readonly List<(long Posted, double DelayMs)> _probes = [];
    private long _maxQueue;
    private int _maxThreads;

    public ThreadPoolSampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "threadpool-sampler" };
        _thread.Start();
    }

    /// <summary>Most work items seen waiting for a thread-pool thread.</summary>
    public long MaxQueue => Interlocked.Read(ref _maxQueue);

    /// <summary>Most thread-pool threads seen.</summary>
    public int MaxThreads => Volatile.Read(ref _maxThreads);

    /// <summary>Every probe since the last reset: when it was queued (Stopwatch timestamp) and how long it waited, in ms.</summary>
    public IReadOnlyList<(long Posted, double DelayMs)> Probes
    {
        get
        {
            lock (_gate)
            {
                return _probes.ToArray();
            }
        }
    }

    /// <summary>Forgets what was seen so far (a phase starts).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _maxQueue, 0);
        Volatile.Write(ref _maxThreads, 0);
        lock (_gate)
        {
            _probes.Clear();
        }
    }

    /// <summary>The probes' delay at quantile <paramref name="q"/> (NaN without probes).</summary>
    public double ProbeDelayQuantile(double q)
    {
        var delays = Probes.Select(p => p.DelayMs).Order().ToArray();
        return delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)(q * delays.Length))];
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Sample()
    {
        while (!_stop)
        {
            var queue = ThreadPool.PendingWorkItemCount;
            if (queue > Interlocked.Read(ref _maxQueue))
            {
                Interlocked.Exchange(ref _maxQueue, queue);
            }

            var threads = ThreadPool.ThreadCount;
            if (threads > Volatile.Read(ref _maxThreads))
            {
                Volatile.Write(ref _maxThreads, threads);
            }

            var posted = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(
                state =>
                {
                    var delay = Stopwatch.GetElapsedTime(state).TotalMilliseconds;
                    lock (_gate)
                    {
                        _probes.Add((state, delay));
                    }
                },
                posted,
                preferLocal: false);
            Thread.Sleep(5);
        }
    }
}
