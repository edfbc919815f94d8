using RecFramework.Vectors.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

public sealed class FaissIndexTests : IDisposable
{
    private const int D = 16;
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-faiss-").FullName;
    private readonly FaissVectorIndexFactory _factory = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ExactTopKEqualsBruteForce()
    {
        var vectors = TestVectors.Clustered(600, D, 8, seed: 1);
        var ids = TestVectors.Ids(600);
        var queries = TestVectors.Clustered(25, D, 8, seed: 2);
        using var index = _factory.BuildFaiss("Flat", D, vectors, ids);

        var result = index.Search(queries, 10);
        var (expectedIds, expectedScores) = TestVectors.BruteForce(vectors, ids, queries, D, 10);

        Assert.Equal(25, result.QueryCount);
        Assert.Equal(expectedIds, result.Ids);
        for (var i = 0; i < expectedScores.Length; i++)
        {
            Assert.Equal(expectedScores[i], result.Scores[i], 4);
        }
    }

    [Fact]
    public void FewerVectorsThanKArePaddedWithMinusOne()
    {
        var vectors = TestVectors.Clustered(3, D, 2, seed: 3);
        using var index = _factory.BuildFaiss("Flat", D, vectors, [5, 6, 7]);

        var result = index.Search(vectors.AsSpan(0, D), 5);

        Assert.Equal([5L, 6L, 7L], result.Ids.Take(3).Order().ToArray());
        Assert.Equal([-1L, -1L], result.Ids.Skip(3).ToArray());
    }

    [Theory]
    [InlineData("Flat")]
    [InlineData("IVF8,Flat")]
    public void IdsArePreserved(string description)
    {
        var vectors = TestVectors.Clustered(400, D, 8, seed: 4);
        var ids = TestVectors.Ids(400, offset: 9_000_000_000_000L, stride: 977);
        using var index = _factory.BuildFaiss(description, D, vectors, ids);

        // Exhaustive settings (every list): each vector must find itself. HNSW: FaissDeterminismTests (one thread).
        var result = index.Search(vectors, 1, new VectorSearchParameters(NProbe: 8));

        Assert.Equal(400, index.Count);
        Assert.Equal(ids, result.Ids);
    }

    [Theory]
    [InlineData("Flat")]
    [InlineData("HNSW16")]
    [InlineData("IVF8,Flat")]
    [InlineData("IVF8,PQ4")]
    public void SaveLoadRoundTripGivesIdenticalResults(string description)
    {
        var vectors = TestVectors.Clustered(1500, D, 8, seed: 5);
        var ids = TestVectors.Ids(1500);
        var queries = TestVectors.Clustered(20, D, 8, seed: 6);
        var path = Path.Combine(_dir, "index.faiss");
        using var index = _factory.BuildFaiss(description, D, vectors, ids);
        var parameters = new VectorSearchParameters(NProbe: 2, EfSearch: 32);
        var before = index.Search(queries, 10, parameters);

        index.Save(path);
        using var loaded = (FaissIndex)_factory.Load(path);
        var after = loaded.Search(queries, 10, parameters);

        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(D, loaded.Dimension);
        Assert.Equal(description, loaded.Description);
        Assert.Equal(before.Ids, after.Ids);
        Assert.Equal(before.Scores, after.Scores);
    }

    [Fact]
    public void ConcurrentSearchesAgreeWithSequentialOnes()
    {
        var vectors = TestVectors.Clustered(2000, D, 16, seed: 7);
        var ids = TestVectors.Ids(2000);
        var queries = TestVectors.Clustered(200, D, 16, seed: 8);
        using var hnsw = _factory.BuildFaiss("HNSW16", D, vectors, ids);
        using var ivf = _factory.BuildFaiss("IVF16,Flat", D, vectors, ids);
        foreach (var index in new[] { hnsw, ivf })
        {
            var sequential = Enumerable.Range(0, 200)
                .Select(q => index.Search(queries.AsSpan(q * D, D), 20, new VectorSearchParameters(NProbe: 1 + (q % 4), EfSearch: 16 + q)))
                .ToArray();
            var concurrent = new VectorSearchResult[200];

            Parallel.For(0, 200 * 4, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            {
                var q = i % 200;
                var result = index.Search(queries.AsSpan(q * D, D), 20, new VectorSearchParameters(NProbe: 1 + (q % 4), EfSearch: 16 + q));
                if (i >= 600)
                {
                    concurrent[q] = result;
                }
            });

            for (var q = 0; q < 200; q++)
            {
                Assert.Equal(sequential[q].Ids, concurrent[q].Ids);
                Assert.Equal(sequential[q].Scores, concurrent[q].Scores);
            }
        }
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        var vectors = TestVectors.Clustered(1500, D, 12, seed: 9);
        var ids = TestVectors.Ids(1500);
        var first = Path.Combine(_dir, "a.faiss");
        var second = Path.Combine(_dir, "b.faiss");
        using (var a = _factory.BuildFaiss("IVF16,PQ4", D, vectors, ids, seed: 123))
        {
            a.Save(first);
        }

        using (var b = _factory.BuildFaiss("IVF16,PQ4", D, vectors, ids, seed: 123))
        {
            b.Save(second);
        }

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void SearchParametersChangeResultsPerCall()
    {
        var vectors = TestVectors.Clustered(3000, D, 32, seed: 10);
        var ids = TestVectors.Ids(3000);
        var queries = TestVectors.Clustered(100, D, 32, seed: 11);
        using var flat = _factory.BuildFaiss("Flat", D, vectors, ids);
        using var ivf = _factory.BuildFaiss("IVF32,Flat", D, vectors, ids);
        var exact = flat.Search(queries, 50);

        var allLists = ivf.Search(queries, 50, new VectorSearchParameters(NProbe: 32));
        var oneList = ivf.Search(queries, 50, new VectorSearchParameters(NProbe: 1));
        var recallAll = MeanRecall(allLists, exact);
        var recallOne = MeanRecall(oneList, exact);

        Assert.Equal(1.0, recallAll, 6);
        Assert.True(recallOne < 0.99, $"nprobe=1 should miss neighbours in other lists, recall was {recallOne}");
    }

    [Fact]
    public void HnswEfSearchAboveTheIndexDefaultWidensTheSearch()
    {
        // Faiss 1.7.3 takes the HNSW candidate queue size from the index, not from the call's parameters; the shim
        // must make a per-call efSearch count. A sparse graph (M = 4) over many clusters misses neighbours at
        // efSearch = k and finds nearly all of them with a wide frontier.
        var vectors = TestVectors.Clustered(4000, D, 64, seed: 14);
        var ids = TestVectors.Ids(4000);
        var queries = TestVectors.Clustered(100, D, 64, seed: 15);
        using var flat = _factory.BuildFaiss("Flat", D, vectors, ids);
        using var hnsw = _factory.BuildFaiss("HNSW4", D, vectors, ids);
        var exact = flat.Search(queries, 20);

        var narrow = MeanRecall(hnsw.Search(queries, 20, new VectorSearchParameters(EfSearch: 20)), exact);
        var wide = MeanRecall(hnsw.Search(queries, 20, new VectorSearchParameters(EfSearch: 400)), exact);
        var defaults = hnsw.Search(queries, 20);

        // The graph is built with several OpenMP threads, so its links (and both recalls) vary from run to run: over
        // 30 runs efSearch = 20 gave 0.45-0.52 and efSearch = 400 gave 0.948-0.986. The bounds leave room for that.
        Assert.True(narrow < 0.7, $"efSearch = k should miss neighbours on this graph, recall was {narrow}");
        Assert.True(wide > 0.9, $"efSearch = 400 should find nearly every neighbour, recall was {wide} (efSearch = 20: {narrow})");
        Assert.True(wide - narrow > 0.3, $"a wider frontier should find far more neighbours: {wide} vs {narrow}");
        Assert.Equal(hnsw.Search(queries, 20, new VectorSearchParameters(EfSearch: 16)).Ids, defaults.Ids); // the index default stays 16
    }

    [Fact]
    public void SavingAfterSearchesWithOtherEfSearchWritesTheSameFile()
    {
        var vectors = TestVectors.Clustered(500, D, 8, seed: 16);
        using var index = _factory.BuildFaiss("HNSW8", D, vectors, TestVectors.Ids(500));
        var before = Path.Combine(_dir, "before.faiss");
        var after = Path.Combine(_dir, "after.faiss");
        index.Save(before);

        index.Search(vectors.AsSpan(0, D * 4), 10, new VectorSearchParameters(EfSearch: 300));
        index.Save(after);

        Assert.Equal(File.ReadAllBytes(before), File.ReadAllBytes(after));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NativeQueryLoopGivesTheSameResultsAsManagedSearch(bool threadCpuTime)
    {
        var vectors = TestVectors.Clustered(1000, D, 8, seed: 12);
        var ids = TestVectors.Ids(1000);
        var queries = TestVectors.Clustered(30, D, 8, seed: 13);
        using var index = _factory.BuildFaiss("HNSW16", D, vectors, ids);
        var parameters = new VectorSearchParameters(EfSearch: 40);
        var loopIds = new long[30 * 10];
        var loopScores = new float[30 * 10];

        var seconds = index.SearchLoopNative(queries, 10, loopIds, loopScores, parameters, threadCpuTime);
        var batch = index.Search(queries, 10, parameters);

        Assert.True(seconds > 0, $"native loop reported {seconds} s");
        Assert.Equal(batch.Ids, loopIds);
        Assert.Equal(batch.Scores, loopScores);
    }

    private static double MeanRecall(VectorSearchResult ann, VectorSearchResult exact) =>
        Enumerable.Range(0, ann.QueryCount).Average(q => VectorIndexRecallAudit.RecallAtK(ann.IdsOf(q), exact.IdsOf(q)));
}
