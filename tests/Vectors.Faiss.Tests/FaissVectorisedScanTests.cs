using RecFramework.Vectors.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

/// <summary>
/// The shim's AVX2 inner-product scan against Faiss's own scalar path: same neighbours, same scores up to summation
/// order. Switching the process-wide setting, so these run alone.
/// </summary>
[Collection(FaissThreadsCollection.Name)]
public sealed class FaissVectorisedScanTests
{
    private readonly FaissVectorIndexFactory _factory = new();

    [Theory]
    [InlineData("Flat", 64)]
    [InlineData("Flat", 37)]
    [InlineData("IVF16,Flat", 64)]
    [InlineData("IVF16,Flat", 21)]
    public void VectorisedScanFindsWhatFaissFinds(string description, int dimension)
    {
        var vectors = TestVectors.Clustered(3000, dimension, 16, seed: 31);
        var queries = TestVectors.Clustered(40, dimension, 16, seed: 32);
        using var index = _factory.BuildFaiss(description, dimension, vectors, TestVectors.Ids(3000));
        var parameters = new VectorSearchParameters(NProbe: 4);

        var vectorised = SearchOneByOne(index, queries, dimension, parameters, vectorisedScan: true);
        var reference = SearchOneByOne(index, queries, dimension, parameters, vectorisedScan: false);

        Assert.Equal(FaissRuntime.VectorisedScanAvailable, vectorised.Enabled);
        Assert.False(reference.Enabled);
        for (var i = 0; i < vectorised.Scores.Length; i++)
        {
            Assert.True(Math.Abs(vectorised.Scores[i] - reference.Scores[i]) < 1e-4, $"score {i}: {vectorised.Scores[i]} vs {reference.Scores[i]}");
            var tied = (i > 0 && Math.Abs(reference.Scores[i] - reference.Scores[i - 1]) < 1e-4)
                || (i + 1 < reference.Scores.Length && Math.Abs(reference.Scores[i] - reference.Scores[i + 1]) < 1e-4);
            if (!tied)
            {
                Assert.Equal(reference.Ids[i], vectorised.Ids[i]);
            }
        }
    }

    [Fact]
    public void SwitchingTheScanOffAndOnIsReported()
    {
        var before = FaissRuntime.VectorisedScan;
        try
        {
            FaissRuntime.VectorisedScan = false;
            Assert.False(FaissRuntime.VectorisedScan);
            FaissRuntime.VectorisedScan = true;
            Assert.Equal(FaissRuntime.VectorisedScanAvailable, FaissRuntime.VectorisedScan);
        }
        finally
        {
            FaissRuntime.VectorisedScan = before;
        }
    }

    // Single queries: batches of 20 or more go to BLAS in Faiss's Flat search, whatever the scan setting.
    private static (long[] Ids, float[] Scores, bool Enabled) SearchOneByOne(IVectorIndex index, float[] queries, int dimension, VectorSearchParameters parameters, bool vectorisedScan)
    {
        var before = FaissRuntime.VectorisedScan;
        FaissRuntime.VectorisedScan = vectorisedScan;
        try
        {
            var enabled = FaissRuntime.VectorisedScan;
            var n = queries.Length / dimension;
            var ids = new List<long>();
            var scores = new List<float>();
            for (var q = 0; q < n; q++)
            {
                var result = index.Search(queries.AsSpan(q * dimension, dimension), 10, parameters);
                ids.AddRange(result.Ids);
                scores.AddRange(result.Scores);
            }

            return ([.. ids], [.. scores], enabled);
        }
        finally
        {
            FaissRuntime.VectorisedScan = before;
        }
    }
}
