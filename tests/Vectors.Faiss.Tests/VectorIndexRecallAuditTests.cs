using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Vectors.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

public sealed class VectorIndexRecallAuditTests : IDisposable
{
    private const int D = 16;
    private readonly ServiceProvider _provider;
    private readonly IMeterFactory _meters;
    private readonly FaissVectorIndexFactory _factory = new();

    public VectorIndexRecallAuditTests()
    {
        _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _meters = _provider.GetRequiredService<IMeterFactory>();
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task RecordsRecallOfTheAnnResultAgainstExactSearch()
    {
        var vectors = TestVectors.Clustered(3000, D, 32, seed: 21);
        var ids = TestVectors.Ids(3000);
        var queries = TestVectors.Clustered(40, D, 32, seed: 22);
        using var exact = _factory.BuildExact(D, vectors, ids);
        using var ann = _factory.BuildFaiss("IVF32,Flat", D, vectors, ids);
        var recorded = new List<(double Recall, string? Index)>();
        using var listener = AuditTestSupport.ListenToRecall(_meters, recorded);
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, k: 20), _meters);

        var expected = new List<double>();
        for (var q = 0; q < 40; q++)
        {
            var query = queries.AsSpan(q * D, D);
            var annResult = ann.Search(query, 20, new VectorSearchParameters(NProbe: 1));
            Assert.True(audit.TryAudit(exact, query, annResult.IdsOf(0), sampleKey: q));
            expected.Add(VectorIndexRecallAudit.RecallAtK(annResult.IdsOf(0), exact.Search(query, 20).IdsOf(0)));
        }

        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 40);
        listener.RecordObservableInstruments();

        Assert.Equal(expected.Average(), audit.MeanRecall, 9);
        Assert.Equal(expected[^1], audit.LastRecall, 9);
        Assert.True(audit.MeanRecall < 1.0, "nprobe=1 over 32 lists should miss some neighbours");
        lock (recorded)
        {
            Assert.Equal(expected.Order().ToArray(), recorded.Select(r => r.Recall).Order().ToArray());
        }
    }

    [Fact]
    public async Task PerfectAnnResultHasRecallOneAndHalfWrongHasRecallHalf()
    {
        var vectors = TestVectors.Clustered(200, D, 4, seed: 23);
        var ids = TestVectors.Ids(200);
        using var exact = _factory.BuildExact(D, vectors, ids);
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, k: 10), _meters);
        var query = vectors.AsSpan(0, D).ToArray();
        var truth = exact.Search(query, 10).IdsOf(0).ToArray();

        audit.TryEnqueue(exact, query, truth);
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 1);
        Assert.Equal(1.0, audit.LastRecall);

        var halfWrong = truth.Take(5).Concat([-1L, -1L, 42L, 43L, 44L]).ToArray();
        audit.TryEnqueue(exact, query, halfWrong);
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 2);
        Assert.Equal(0.5, audit.LastRecall);
        Assert.Equal(0.75, audit.MeanRecall, 9);
    }

    [Fact]
    public async Task DropsSamplesWhenTheQueueIsFullWithoutBlocking()
    {
        using var gate = new ManualResetEventSlim(false);
        var blocking = new BlockingIndex(gate);
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, k: 5, capacity: 2), _meters);
        var query = new float[D];

        var accepted = Enumerable.Range(0, 10).Count(_ => audit.TryEnqueue(blocking, query, [1, 2, 3, 4, 5]));

        // One item may already be taken by the worker (blocked inside Search), two wait in the queue.
        Assert.InRange(accepted, 2, 3);
        Assert.Equal(10 - accepted, audit.DroppedCount);
        gate.Set();
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == accepted);
        Assert.Equal(1.0, audit.MeanRecall);
    }

    [Fact]
    public void SamplingIsDeterministicAndMatchesTheRate()
    {
        using var audit = new VectorIndexRecallAudit(Options(rate: 0.05, k: 10), _meters);
        using var again = new VectorIndexRecallAudit(Options(rate: 0.05, k: 10), _meters);

        var sampled = Enumerable.Range(0, 200_000).Where(i => audit.ShouldSample(i)).ToArray();

        // Binomial(200000, 0.05): sd ≈ 97, so ±600 is beyond 6 sd.
        Assert.InRange(sampled.Length, 10_000 - 600, 10_000 + 600);
        Assert.All(sampled.Take(500), key => Assert.True(again.ShouldSample(key)));
        Assert.False(new VectorIndexRecallAudit(Options(rate: 0, k: 10), _meters).ShouldSample(sampled[0]));
    }

    [Fact]
    public void RejectsAQueryOfTheWrongDimension()
    {
        var vectors = TestVectors.Clustered(20, D, 2, seed: 24);
        using var exact = _factory.BuildExact(D, vectors, TestVectors.Ids(20));
        using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, k: 10), _meters);
        var e = Assert.Throws<FaissException>(() => audit.TryEnqueue(exact, new float[D - 1], [1]));
        Assert.Equal(FaissErrorCode.DimensionMismatch, e.Code);
    }

    private static IOptions<VectorIndexOptions> Options(double rate, int k, int capacity = 1024) =>
        Microsoft.Extensions.Options.Options.Create(new VectorIndexOptions { AuditSampleRate = rate, AuditK = k, AuditQueueCapacity = capacity });

    private sealed class BlockingIndex(ManualResetEventSlim gate) : IVectorIndex
    {
        public int Dimension => D;

        public long Count => 5;

        public string Description => "blocking";

        public VectorSearchResult Search(ReadOnlySpan<float> queries, int k, VectorSearchParameters? parameters = null)
        {
            gate.Wait();
            return new VectorSearchResult(1, k, Enumerable.Range(1, k).Select(i => (long)i).ToArray(), new float[k]);
        }

        public void Save(string path) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
