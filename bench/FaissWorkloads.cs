using RecFramework.Lifecycle;
using System.Buffers.Binary;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Channels.TwoTower;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;

namespace RecFramework.Bench;

/// <summary>A set of vectors to index and the queries to search them with (row-major floats; ids are row positions unless given).</summary>
internal sealed record FaissWorkload(string Name, string Source, int Dimension, float[] Vectors, long[] Ids, float[] Queries)
{
    public int Count => Ids.Length;

    public int QueryCount => Queries.Length / Dimension;
}

/// <summary>The workloads of the <c>faiss</c> benchmark: a seeded Gaussian mixture, a vector file, and a trained two-tower model's vectors.</summary>
internal static class FaissWorkloads
{
    /// <summary>
    /// <paramref name="n"/> normalised vectors around <paramref name="clusters"/> random unit centres (noise norm about
    /// 1.0, so clusters overlap), and <paramref name="queries"/> queries drawn from the same mixture with another seed.
    /// </summary>
    public static FaissWorkload Mixture(int n, int dimension, int clusters, int queries, int seed)
    {
        var random = new Random(seed);
        var centers = new float[clusters * dimension];
        for (var c = 0; c < clusters; c++)
        {
            var center = centers.AsSpan(c * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                center[j] = Gaussian(random);
            }

            Normalize(center);
        }

        var vectors = Sample(n, dimension, centers, clusters, random);
        var queryVectors = Sample(queries, dimension, centers, clusters, new Random(seed + 1_000_003));
        return new FaissWorkload("mixture", $"Gaussian mixture, {clusters} clusters, seed {seed}", dimension, vectors, Positions(n), queryVectors);
    }

    /// <summary>
    /// Reads a little-endian "RFVECF32" file (8 bytes magic, int64 count, int32 dimension, int32 reserved, then
    /// count × dimension float32); queries are <paramref name="queries"/> of its vectors drawn with a fixed seed,
    /// perturbed by Gaussian noise and renormalised.
    /// </summary>
    public static FaissWorkload File(string path, int queries, int seed)
    {
        using var stream = System.IO.File.OpenRead(path);
        Span<byte> header = stackalloc byte[24];
        stream.ReadExactly(header);
        if (!header[..8].SequenceEqual("RFVECF32"u8))
        {
            throw new InvalidDataException($"'{path}' is not an RFVECF32 vector file (bad magic).");
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (count <= 0 || dimension <= 0 || count * dimension > Array.MaxLength)
        {
            throw new InvalidDataException($"'{path}' declares {count} vectors of dimension {dimension}, which is not a usable size.");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RFVECF32 files are little-endian; big-endian hosts are not supported.");
        }

        var vectors = new float[count * dimension];
        stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.AsSpan()));
        var random = new Random(seed);
        var sigma = 0.1f / MathF.Sqrt(dimension);
        var queryVectors = new float[queries * dimension];
        for (var i = 0; i < queries; i++)
        {
            var source = vectors.AsSpan(random.Next((int)count) * dimension, dimension);
            var q = queryVectors.AsSpan(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                q[j] = source[j] + (sigma * Gaussian(random));
            }

            Normalize(q);
        }

        return new FaissWorkload("file", Path.GetFullPath(path), dimension, vectors, Positions((int)count), queryVectors);
    }

    /// <summary>
    /// The item vectors (the index) and user vectors (the queries) of a trained two-tower model: read from the artifact
    /// directory <paramref name="artifact"/> when given, else trained now with the channel's default options (through
    /// its public builder, on a seeded synthetic dataset) for <paramref name="epochs"/> epochs.
    /// </summary>
    public static async Task<FaissWorkload> TwoTowerAsync(string? artifact, SyntheticOptions data, int epochs, int queries, int threads, int seed, CancellationToken cancellationToken)
    {
        string? temporary = null;
        try
        {
            var source = artifact;
            if (source is null)
            {
                temporary = Path.Combine(Path.GetTempPath(), "rf-bench-faiss-tt-" + Guid.NewGuid().ToString("N"));
                var synthetic = SyntheticGenerator.Generate(data, cancellationToken: cancellationToken).Dataset;
                Log($"two-tower: training on {synthetic.Name} ({synthetic.Interactions.Length:N0} events), {epochs} epoch(s), {threads} threads");
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["RecFramework:Artifacts:Root"] = temporary,
                    [$"RecFramework:Channels:{TwoTowerVectors.ChannelName}:Options:Threads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).Build();
                var services = new ServiceCollection();
                services.AddLogging();
                services.AddRecFramework(configuration).AddTwoTowerChannel();
                await using var provider = services.BuildServiceProvider();
                var handle = await provider.GetRequiredService<ChannelLifecycle>().BuildAsync(TwoTowerVectors.ChannelName, synthetic, new ChannelBuildSettings
                {
                    Seed = seed,
                    // No validation split: the vectors are what is measured here, not the model's quality (the train benchmark's job).
                    Parameters = new Dictionary<string, string>
                    {
                        ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["patience"] = "0",
                        ["validationfraction"] = "0",

                        // 400k id rows at full size: row-sparse Adagrad, not dense Adam over both whole tables per step.
                        ["sparseembeddings"] = "true",
                    },
                }, cancellationToken);
                Log($"two-tower: trained and exported in {handle.Manifest.Metrics["build_seconds"]:F0} s ({handle.Manifest.Metrics["examples"]:N0} examples, {handle.Manifest.Metrics["items"]:N0} items)");
                source = handle.Directory;
            }

            var (dimension, itemIds, itemVectors) = TwoTowerVectors.Read(Path.Combine(source, TwoTowerVectors.ItemVectorsFile));
            var (userDimension, _, userVectors) = TwoTowerVectors.Read(Path.Combine(source, TwoTowerVectors.UserVectorsFile));
            if (userDimension != dimension)
            {
                throw new InvalidDataException($"'{source}': user vectors have dimension {userDimension}, item vectors {dimension}.");
            }

            // Queries: user vectors drawn with a fixed seed (the vectors the channel searches with online).
            var users = userVectors.Length / dimension;
            var random = new Random(seed);
            var queryVectors = new float[Math.Min(queries, users) * dimension];
            for (var i = 0; i < queryVectors.Length / dimension; i++)
            {
                userVectors.AsSpan(random.Next(users) * dimension, dimension).CopyTo(queryVectors.AsSpan(i * dimension, dimension));
            }

            var described = artifact is null ? $"two-tower trained on {SyntheticGenerator.DatasetName(data)} ({epochs} epochs)" : Path.GetFullPath(artifact);
            return new FaissWorkload("twotower", described, dimension, itemVectors, itemIds, queryVectors);
        }
        finally
        {
            if (temporary is not null && Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static long[] Positions(int n)
    {
        var ids = new long[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = i;
        }

        return ids;
    }

    private static float[] Sample(int n, int dimension, float[] centers, int clusters, Random random)
    {
        const float Spread = 1.0f;
        var sigma = Spread / MathF.Sqrt(dimension);
        var vectors = new float[(long)n * dimension];
        for (var i = 0; i < n; i++)
        {
            var c = random.Next(clusters);
            var v = vectors.AsSpan(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                v[j] = centers[(c * dimension) + j] + (sigma * Gaussian(random));
            }

            Normalize(v);
        }

        return vectors;
    }

    private static void Normalize(Span<float> v)
    {
        var norm = 0.0f;
        foreach (var x in v)
        {
            norm += x * x;
        }

        norm = MathF.Sqrt(norm);
        if (norm > 0)
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] /= norm;
            }
        }
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static void Log(string message) => Console.Error.WriteLine($"[faiss] {message}");
}
