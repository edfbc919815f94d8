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
        var (openMp, blas) = (Math.Max(1, FaissRuntime.OpenMpThreads), Math.Max(1, FaissRuntime.BlasThreads));
        FaissRuntime.SetThreads(1, 1);
        try
        {
            var files = new List<byte[]>();
            for (var i = 0; i < 3; i++)
            {
                using var index = factory.BuildFaiss("HNSW16", 16, vectors, ids, seed: 7);
                var path = Path.Combine(_dir, $"{i}.faiss");
                index.Save(path);
                files.Add(File.ReadAllBytes(path));
            }

            Assert.Equal(files[0], files[1]);
            Assert.Equal(files[0], files[2]);
        }
        finally
        {
            FaissRuntime.SetThreads(openMp, blas);
        }
    }
}
