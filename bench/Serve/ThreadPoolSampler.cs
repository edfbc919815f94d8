namespace RecFramework.Bench.Serve;

/// <summary>
/// Samples the thread pool every 5 ms on its own thread while alive: the longest work-item queue and the most threads
/// seen, which tell thread-pool starvation (work waiting for a thread) apart from CPU saturation.
/// </summary>
internal sealed class ThreadPoolSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
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

    /// <summary>Forgets what was seen so far (a phase starts).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _maxQueue, 0);
        Volatile.Write(ref _maxThreads, 0);
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

            Thread.Sleep(5);
        }
    }
}
