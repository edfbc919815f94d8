namespace RecFramework.Vectors.Faiss.Tests;

/// <summary>Seeded, L2-normalised test vectors drawn from a Gaussian mixture.</summary>
internal static class TestVectors
{
    public static float[] Clustered(int n, int dimension, int clusters, int seed, float spread = 0.15f)
    {
        var random = new Random(seed);
        var centers = new float[clusters * dimension];
        for (var i = 0; i < centers.Length; i++)
        {
            centers[i] = Gaussian(random);
        }

        var vectors = new float[n * dimension];
        for (var i = 0; i < n; i++)
        {
            var c = random.Next(clusters);
            for (var j = 0; j < dimension; j++)
            {
                vectors[(i * dimension) + j] = (centers[(c * dimension) + j] / MathF.Sqrt(dimension)) + (spread * Gaussian(random) / MathF.Sqrt(dimension));
            }

            Normalize(vectors.AsSpan(i * dimension, dimension));
        }

        return vectors;
    }

    public static long[] Ids(int n, long offset = 1_000_000_007L, long stride = 13) =>
        Enumerable.Range(0, n).Select(i => offset + (i * stride)).ToArray();

    /// <summary>Brute-force top-k by inner product: (ids, scores) per query.</summary>
    public static (long[] Ids, float[] Scores) BruteForce(float[] vectors, long[] ids, float[] queries, int dimension, int k)
    {
        var n = ids.Length;
        var q = queries.Length / dimension;
        var outIds = new long[q * k];
        var outScores = new float[q * k];
        for (var qi = 0; qi < q; qi++)
        {
            var scored = new (float Score, long Id)[n];
            for (var i = 0; i < n; i++)
            {
                var dot = 0.0;
                for (var j = 0; j < dimension; j++)
                {
                    dot += (double)queries[(qi * dimension) + j] * vectors[(i * dimension) + j];
                }

                scored[i] = ((float)dot, ids[i]);
            }

            var top = scored.OrderByDescending(s => s.Score).Take(k).ToArray();
            for (var r = 0; r < k; r++)
            {
                outIds[(qi * k) + r] = r < top.Length ? top[r].Id : -1;
                outScores[(qi * k) + r] = r < top.Length ? top[r].Score : float.NegativeInfinity;
            }
        }

        return (outIds, outScores);
    }

    private static void Normalize(Span<float> v)
    {
        var norm = 0.0f;
        foreach (var x in v)
        {
            norm += x * x;
        }

        norm = MathF.Sqrt(norm);
        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
