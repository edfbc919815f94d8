using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RecFramework.Vectors.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

/// <summary>What <see cref="FaissVectorIndexFactory.Load"/> hands to serving: configured search parameters and the recall audit.</summary>
public sealed class ServingVectorIndexTests : IDisposable
{
    private const int D = 16;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rf-faiss-serving-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly float[] _vectors = TestVectors.Clustered(3000, D, 32, seed: 31);
    private readonly long[] _ids = TestVectors.Ids(3000);
    private readonly float[] _queries = TestVectors.Clustered(40, D, 32, seed: 32);

    public ServingVectorIndexTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        _provider.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void SearchesWithoutParametersUseTheConfiguredOnes()
    {
        var path = Save("IVF32,Flat");
        using var raw = FaissIndex.Load(path);
        using var served = new FaissVectorIndexFactory(Options(nprobe: 32)).Load(path);

        var configured = served.Search(_queries, 20);

        Assert.Equal(raw.Search(_queries, 20, new VectorSearchParameters(NProbe: 32)).Ids, configured.Ids);
        Assert.NotEqual(raw.Search(_queries, 20).Ids, configured.Ids); // the index's own nprobe (1) finds less
        Assert.Equal(raw.Search(_queries, 20, new VectorSearchParameters(NProbe: 2)).Ids, served.Search(_queries, 20, new VectorSearchParameters(NProbe: 2)).Ids);
    }

    [Fact]
    public async Task ServedSearchesAreAuditedAgainstACopyOfTheIndexVectors()
    {
        var path = Save("IVF32,Flat");
        var recorded = new List<(double Recall, string? Index)>();
        using var listener = AuditTestSupport.ListenToRecall(_provider.GetRequiredService<IMeterFactory>(), recorded);
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, auditK: 20), _provider.GetRequiredService<IMeterFactory>());
        using var served = new FaissVectorIndexFactory(Options(rate: 1.0, auditK: 20), audit).Load(path);

        var result = served.Search(_queries, 20);

        using var flat = new FaissVectorIndexFactory().BuildExact(D, _vectors, _ids);
        var exact = flat.Search(_queries, 20);
        var expected = Enumerable.Range(0, 40).Select(q => VectorIndexRecallAudit.RecallAtK(result.IdsOf(q), exact.IdsOf(q))).ToArray();
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 40);
        Assert.Equal(expected.Average(), audit.MeanRecall, 9);
        Assert.True(audit.MeanRecall < 1.0, "nprobe=1 over 32 lists should miss some neighbours");
        lock (recorded)
        {
            Assert.Equal(40, recorded.Count);
            Assert.All(recorded, r => Assert.Equal("IVF32,Flat", r.Index));
        }
    }

    [Fact]
    public async Task BufferSearchAppliesTheSameDefaultsAndIsAuditedToo()
    {
        var path = Save("IVF32,Flat");
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, auditK: 20), _provider.GetRequiredService<IMeterFactory>());
        using var served = new FaissVectorIndexFactory(Options(nprobe: 8, rate: 1.0, auditK: 20), audit).Load(path);
        var ids = new long[40 * 20];
        var scores = new float[40 * 20];

        served.Search(_queries, 20, ids, scores);

        var allocated = served.Search(_queries, 20);
        Assert.Equal(allocated.Ids, ids);
        Assert.Equal(allocated.Scores, scores);
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 80);
        Assert.Throws<ArgumentException>(() => served.Search(_queries, 20, new long[10], new float[10]));
    }

    [Fact]
    public async Task AuditSamplesTheConfiguredShareOfQueries()
    {
        var path = Save("HNSW16");
        await using var audit = new VectorIndexRecallAudit(Options(rate: 0.25, auditK: 10), _provider.GetRequiredService<IMeterFactory>());
        using var served = new FaissVectorIndexFactory(Options(rate: 0.25, auditK: 10), audit).Load(path);

        for (var q = 0; q < 40; q++)
        {
            served.Search(_queries.AsSpan(q * D, D), 10);
        }

        // Query sequence numbers 1..40 are sampled by the audit's own deterministic rule.
        var expected = Enumerable.Range(1, 40).Count(i => audit.ShouldSample(i));
        Assert.InRange(expected, 1, 39);
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == expected);
        await Task.Delay(50);
        Assert.Equal(expected, audit.AuditedCount);
        Assert.Equal(0, audit.FailedCount);
    }

    [Fact]
    public async Task AuditsAreCappedPerSecondAndTheRestCounted()
    {
        var path = Save("HNSW16");
        var time = new FakeTimeProvider();
        var options = Options(rate: 1.0, auditK: 10, maxPerSecond: 2);
        using var limited = new MetricCollector<long>(_provider.GetRequiredService<IMeterFactory>(), "RecFramework", "recfw.vector_index.audit_rate_limited");
        await using var audit = new VectorIndexRecallAudit(options, _provider.GetRequiredService<IMeterFactory>(), time: time);
        using var served = new FaissVectorIndexFactory(options, audit).Load(path);

        // Every query is sampled; at 2 a second only the first of ten at one instant is audited.
        for (var q = 0; q < 10; q++)
        {
            served.Search(_queries.AsSpan(q * D, D), 10);
        }

        Assert.Equal(9, audit.RateLimitedCount);
        time.Advance(TimeSpan.FromMilliseconds(499));
        served.Search(_queries.AsSpan(0, D), 10);
        Assert.Equal(10, audit.RateLimitedCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        served.Search(_queries.AsSpan(0, D), 10);
        served.Search(_queries.AsSpan(0, D), 10);
        Assert.Equal(11, audit.RateLimitedCount);
        await AuditTestSupport.WaitForAsync(() => audit.AuditedCount == 2);
        Assert.Equal(0, audit.DroppedCount);
        Assert.Equal(11, limited.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Theory]
    [InlineData("Flat")]
    [InlineData("IVF16,PQ4")]
    public async Task ExactAndCompressedIndexesAreNotAudited(string description)
    {
        var path = Save(description);
        await using var audit = new VectorIndexRecallAudit(Options(rate: 1.0, auditK: 10), _provider.GetRequiredService<IMeterFactory>());
        using var served = new FaissVectorIndexFactory(Options(rate: 1.0, auditK: 10), audit).Load(path);

        served.Search(_queries, 10);

        Assert.IsType<FaissIndex>(served);
        Assert.Equal(0, audit.AuditedCount + audit.DroppedCount);
    }

    [Theory]
    [InlineData("Flat", true)]
    [InlineData("HNSW16", true)]
    [InlineData("IVF32,Flat", true)]
    [InlineData("IVF16,PQ4", false)]
    public void ReconstructsEveryVectorWithItsId(string description, bool lossless)
    {
        using var index = new FaissVectorIndexFactory().BuildFaiss(description, D, _vectors, _ids);

        var (ids, vectors, exact) = index.ReconstructAll();

        Assert.Equal(lossless, exact);
        Assert.Equal(_ids.Order(), ids.Order());
        var row = _ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        for (var i = 0; i < ids.Length; i++)
        {
            var original = _vectors.AsSpan(row[ids[i]] * D, D);
            var copy = vectors.AsSpan(i * D, D);
            if (lossless)
            {
                Assert.True(original.SequenceEqual(copy), $"vector of id {ids[i]} differs");
            }
        }
    }

    private string Save(string description)
    {
        var path = Path.Combine(_dir, description.Replace(',', '_') + ".faiss");
        using var index = new FaissVectorIndexFactory().BuildFaiss(description, D, _vectors, _ids);
        index.Save(path);
        return path;
    }

    // No rate cap unless a test sets one: the other tests count audits of searches made within a second.
    private static IOptions<VectorIndexOptions> Options(int? nprobe = null, double rate = 0, int auditK = 100, double maxPerSecond = 0) =>
        Microsoft.Extensions.Options.Options.Create(new VectorIndexOptions { NProbe = nprobe, AuditSampleRate = rate, AuditK = auditK, AuditMaxPerSecond = maxPerSecond });

}
