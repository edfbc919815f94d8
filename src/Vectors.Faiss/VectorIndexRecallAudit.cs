using RecFramework.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss;

/// <summary>
/// Measures the recall@k of the serving ANN index on a sample of live requests, off the request path.
/// <para>
/// In serving this happens without the caller's help: indexes loaded by the DI-registered
/// <see cref="FaissVectorIndexFactory"/> feed the audit themselves (every query of a search draws a sequence number
/// as its sample key; the exact reference is a copy of the index's vectors). Other code calls <see cref="TryAudit"/>
/// with the query vector, the ids the ANN index returned (before any filtering) and an exact index over the same
/// vectors (e.g. <see cref="FaissVectorIndexFactory.BuildExact"/>).
/// Sampling is deterministic: a search is audited when a SplitMix64 hash of its key (sequence number, request or user
/// id) maps below <see cref="VectorIndexOptions.AuditSampleRate"/>. Sampled searches are copied into a bounded queue;
/// when it is full the sample is dropped (counted), so a request never waits. One worker task runs the exact
/// search and records recall@k = |ANN top-k ∩ exact top-k| / |exact top-k| to the histogram
/// <c>recfw.vector_index.recall</c> (meter <c>RecFramework</c>, tag <c>index</c> = the audited ANN index's
/// description) and to <see cref="LastRecall"/> / <see cref="MeanRecall"/>.
/// </para>
/// </summary>
public sealed class VectorIndexRecallAudit : IAsyncDisposable, IDisposable
{
    /// <summary>Meter name (shared with the pipeline's instruments).</summary>
    public const string MeterName = "RecFramework";

    /// <summary>Histogram of audited recall@k values in [0, 1].</summary>
    public const string RecallInstrument = "recfw.vector_index.recall";

    private readonly VectorIndexOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<AuditItem> _queue;
    private readonly Histogram<double> _recall;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _rateLimitedCounter;
    private readonly TimeProvider _time;
    private long _nextSlot = long.MinValue;
    private long _rateLimited;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly object _gate = new();
    private double _sum;
    private long _audited;
    private long _droppedCount;
    private long _failed;
    private double _last = double.NaN;

    /// <summary>Creates the audit and starts its worker.</summary>
    /// <param name="options">Sampling, rate cap, k and queue size.</param>
    /// <param name="meterFactory">Creates the audit's instruments.</param>
    /// <param name="logger">Logger; none: nothing is logged.</param>
    /// <param name="time">Clock of <see cref="VectorIndexOptions.AuditMaxPerSecond"/>; none: the system clock.</param>
    public VectorIndexRecallAudit(IOptions<VectorIndexOptions> options, IMeterFactory meterFactory, ILogger<VectorIndexRecallAudit>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var meter = meterFactory.Create(MeterName);
        _recall = meter.CreateHistogram<double>(RecallInstrument, description: "Recall@k of the ANN vector index against exact search on sampled requests.");
        _dropped = meter.CreateCounter<long>("recfw.vector_index.audit_dropped", description: "Recall audit samples dropped because the queue was full.");
        _rateLimitedCounter = meter.CreateCounter<long>("recfw.vector_index.audit_rate_limited", description: "Sampled searches not audited because audits ran at AuditMaxPerSecond.");
        _queue = Channel.CreateBounded<AuditItem>(new BoundedChannelOptions(_options.AuditQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the sample is dropped, never awaited.
            SingleReader = true,
            SingleWriter = false,
        });
        // A dedicated thread at background priority: an exact search over a large catalogue takes tens of
        // milliseconds of CPU, which must neither hold a thread-pool thread nor take a core from requests.
        _worker = BackgroundThreadPriority.RunAsync("vector-index-audit", () =>
        {
            Run(_stop.Token);
            return true;
        });
    }

    /// <summary>Recall of the most recent audit (NaN before the first).</summary>
    public double LastRecall
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Mean recall over all audits so far (NaN before the first).</summary>
    public double MeanRecall
    {
        get
        {
            lock (_gate)
            {
                return _audited == 0 ? double.NaN : _sum / _audited;
            }
        }
    }

    /// <summary>Audits completed.</summary>
    public long AuditedCount => Interlocked.Read(ref _audited);

    /// <summary>Samples dropped because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>Sampled searches of the serving index skipped by <see cref="VectorIndexOptions.AuditMaxPerSecond"/>.</summary>
    public long RateLimitedCount => Interlocked.Read(ref _rateLimited);

    /// <summary>
    /// True when an audit may start now under <see cref="VectorIndexOptions.AuditMaxPerSecond"/> (always without a cap):
    /// at most one per 1/cap seconds, the first at once; a refused one is counted, never waited for.
    /// </summary>
    internal bool TryTakeRateSlot()
    {
        var perSecond = _options.AuditMaxPerSecond;
        if (perSecond <= 0)
        {
            return true;
        }

        var now = _time.GetTimestamp();
        var next = Interlocked.Read(ref _nextSlot);
        if (now >= next && Interlocked.CompareExchange(ref _nextSlot, now + (long)(_time.TimestampFrequency / perSecond), next) == next)
        {
            return true;
        }

        Interlocked.Increment(ref _rateLimited);
        _rateLimitedCounter.Add(1);
        return false;
    }

    /// <summary>Audits that failed (e.g. the exact index was disposed by a swap meanwhile).</summary>
    public long FailedCount => Interlocked.Read(ref _failed);

    /// <summary>True when the request with this key falls in the audited sample (deterministic).</summary>
    public bool ShouldSample(long sampleKey)
    {
        var rate = _options.AuditSampleRate;
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        var z = unchecked((ulong)sampleKey + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < rate;
    }

    /// <summary>
    /// Queues an audit when <paramref name="sampleKey"/> is sampled; never blocks.
    /// </summary>
    /// <param name="exact">Exact index over the same vectors as the ANN index.</param>
    /// <param name="query">[exact.Dimension] floats: the query vector.</param>
    /// <param name="annIds">The ANN index's top ids for the query, best first (-1 padding allowed); the first
    /// min(<see cref="VectorIndexOptions.AuditK"/>, length) are audited.</param>
    /// <param name="sampleKey">Request or user id that decides sampling.</param>
    /// <param name="annDescription">Description of the audited ANN index (the metric's <c>index</c> tag); null: the exact index's.</param>
    /// <returns>True when queued; false when not sampled or dropped.</returns>
    public bool TryAudit(IVectorIndex exact, ReadOnlySpan<float> query, ReadOnlySpan<long> annIds, long sampleKey, string? annDescription = null)
        => ShouldSample(sampleKey) && TryEnqueue(exact, query, annIds, annDescription);

    /// <summary>Queues an audit regardless of sampling; never blocks (drops when the queue is full).</summary>
    /// <param name="exact">Exact index over the same vectors as the ANN index.</param>
    /// <param name="query">[exact.Dimension] floats.</param>
    /// <param name="annIds">The ANN index's top ids for the query, best first.</param>
    /// <param name="annDescription">Description of the audited ANN index (the metric's <c>index</c> tag); null: the exact index's.</param>
    public bool TryEnqueue(IVectorIndex exact, ReadOnlySpan<float> query, ReadOnlySpan<long> annIds, string? annDescription = null)
    {
        ArgumentNullException.ThrowIfNull(exact);
        if (query.Length != exact.Dimension)
        {
            throw new FaissException(FaissErrorCode.DimensionMismatch, $"Audit query has {query.Length} floats; the exact index has dimension {exact.Dimension}.");
        }

        return TryEnqueue(new Lazy<IVectorIndex>(exact), annDescription ?? exact.Description, query, annIds);
    }

    /// <summary>
    /// True when indexes like <paramref name="index"/> can be audited: not already exact ("Flat") and storing its
    /// vectors uncompressed (HNSW, IVF-Flat), so that a copy of them is the exact reference. Logs why not otherwise.
    /// </summary>
    internal bool Accepts(FaissIndex index)
    {
        var description = index.Description;
        if (description == "Flat")
        {
            return false;
        }

        if (description.StartsWith("HNSW", StringComparison.Ordinal) || (description.StartsWith("IVF", StringComparison.Ordinal) && description.EndsWith(",Flat", StringComparison.Ordinal)))
        {
            return true;
        }

        Log.AuditUnavailable(_logger, description);
        return false;
    }

    /// <summary>Queues an audit against an exact reference built on first use (on the worker); never blocks.</summary>
    internal bool TryEnqueue(Lazy<IVectorIndex> exact, string annDescription, ReadOnlySpan<float> query, ReadOnlySpan<long> annIds)
    {
        var k = Math.Min(_options.AuditK, annIds.Length);
        if (k <= 0)
        {
            throw new FaissException(FaissErrorCode.InvalidK, $"Audit needs at least one ANN id, got {annIds.Length}.");
        }

        var item = new AuditItem(exact, annDescription, query.ToArray(), annIds[..k].ToArray());
        if (_queue.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1);
        return false;
    }

    /// <summary>Recall@k of <paramref name="annIds"/> against <paramref name="exactIds"/> (-1 entries ignored).</summary>
    public static double RecallAtK(ReadOnlySpan<long> annIds, ReadOnlySpan<long> exactIds)
    {
        var truth = new HashSet<long>();
        foreach (var id in exactIds)
        {
            if (id >= 0)
            {
                truth.Add(id);
            }
        }

        if (truth.Count == 0)
        {
            return 1.0;
        }

        var hits = 0;
        var seen = new HashSet<long>();
        foreach (var id in annIds)
        {
            if (id >= 0 && seen.Add(id) && truth.Contains(id))
            {
                hits++;
            }
        }

        return (double)hits / truth.Count;
    }

    /// <summary>Stops the worker after the queued audits are done.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Run(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        try
        {
            // Blocking waits are fine here: this is the audit's own thread, never a thread-pool one.
            while (reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var item))
                {
                    Process(item);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Process(AuditItem item)
    {
        try
        {
            var exact = item.Exact.Value;
            if (item.Query.Length != exact.Dimension)
            {
                throw new FaissException(FaissErrorCode.DimensionMismatch, $"Audit query has {item.Query.Length} floats; the exact index has dimension {exact.Dimension}.");
            }

            var recall = RecallAtK(item.AnnIds, exact.Search(item.Query, item.AnnIds.Length).IdsOf(0));
            lock (_gate)
            {
                _last = recall;
                _sum += recall;
                _audited++;
            }

            _recall.Record(recall, new KeyValuePair<string, object?>("index", item.Index));
            Log.Audited(_logger, item.AnnIds.Length, recall, item.Index);
        }
        catch (ObjectDisposedException)
        {
            // Queued before a hot swap retired the index it audits: expected, counted, not worth a warning each.
            Interlocked.Increment(ref _failed);
        }
        catch (FaissException e)
        {
            Interlocked.Increment(ref _failed);
            Log.AuditFailed(_logger, e);
        }
    }

    private sealed record AuditItem(Lazy<IVectorIndex> Exact, string Index, float[] Query, long[] AnnIds);
}
