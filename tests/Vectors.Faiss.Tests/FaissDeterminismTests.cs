using RecFramework.Vectors;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Vectors.Faiss.Tests;

/// <summary>Tests that change the process-wide Faiss thread count run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaissThreadsCollection
{
    public const string Name = "Faiss process-wide threads";
}

[Collection(FaissThreadsCollection.Name)]
public sealed class FaissDeterminismTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rf-faiss-determinism-" + Guid.NewGuid().ToString("N"));

    public FaissDeterminismTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HnswBuildIsReproducibleWithOneThread()
    {
        var vectors = TestVectors.Clustered(3000, 16, 8, seed: 4);
        var ids = TestVectors.Ids(3000);
        var factory = new FaissVectorIndexFactory();
        var files = new List<byte[]>();
        WithOneThread(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                using var index = factory.BuildFaiss("HNSW16", 16, vectors, ids, seed: 7);
                var path = Path.Combine(_dir, $"{i}.faiss");
                index.Save(path);
                files.Add(File.ReadAllBytes(path));
            }
        });

        Assert.Equal(files[0], files[1]);
        Assert.Equal(files[0], files[2]);
    }

    // Here and not beside the Flat and IVF cases in FaissIndexTests: a graph built by two threads depends on their
    // interleaving, and once in a CI run one of the 400 vectors was left where a search from the entry point could not
    // reach it even with a frontier as large as the index.
    [Fact]
    public void HnswPreservesIdsWithOneThread()
    {
        var vectors = TestVectors.Clustered(400, 16, 8, seed: 4);
        var ids = TestVectors.Ids(400, offset: 9_000_000_000_000L, stride: 977);
        var factory = new FaissVectorIndexFactory();
        WithOneThread(() =>
        {
            using var index = factory.BuildFaiss("HNSW16", 16, vectors, ids, seed: 7);
            var result = index.Search(vectors, 1, new VectorSearchParameters(EfSearch: 400));

            Assert.Equal(400, index.Count);
            Assert.Equal(ids, result.Ids);
        });
    }

    private static void WithOneThread(Action action)
    {
        var (openMp, blas) = (Math.Max(1, FaissRuntime.OpenMpThreads), Math.Max(1, FaissRuntime.BlasThreads));
        FaissRuntime.SetThreads(1, 1);
        try
        {
            action();
        }
        finally
        {
            FaissRuntime.SetThreads(openMp, blas);
        }
    }
}
