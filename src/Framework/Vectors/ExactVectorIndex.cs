using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace RecFramework.Vectors;

/// <summary>
/// A managed brute-force inner-product index: exact top-k by parallel dot products. The reference for recall
/// audits of approximate indexes and the default when no native index is installed. Immutable and thread-safe.
/// </summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private const string Magic = "RFEXACT1";
    private readonly float[] _vectors;
    private readonly long[] _ids;

    /// <summary>Creates an index over copies of <paramref name="vectors"/> and <paramref name="ids"/>.</summary>
    /// <param name="dimension">Vector dimension, &gt; 0.</param>
    /// <param name="vectors">[ids.Length * dimension] floats, row-major.</param>
    /// <param name="ids">One id per vector.</param>
    public ExactVectorIndex(int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (vectors.Length != (long)ids.Length * dimension)
        {
            throw new ArgumentException($"Expected {(long)ids.Length * dimension} floats for {ids.Length} ids of dimension {dimension}, got {vectors.Length}.", nameof(vectors));
        }

        Dimension = dimension;
        _vectors = vectors.ToArray();
        _ids = ids.ToArray();
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long Count => _ids.Length;

    /// <inheritdoc />
    public string Description => "Flat";

    /// <inheritdoc />
    public VectorSearchResult Search(ReadOnlySpan<float> queries, int k, VectorSearchParameters? parameters = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"Query buffer of {queries.Length} floats is not a multiple of the dimension {Dimension}.", nameof(queries));
        }

        var n = queries.Length / Dimension;
        var ids = new long[n * k];
        var scores = new float[n * k];
        Array.Fill(ids, -1L);
        Array.Fill(scores, float.NegativeInfinity);
        var q = queries.ToArray();
        if (n == 1)
        {
            SearchOneParallel(q, k, ids, scores);
        }
        else
        {
            Parallel.For(0, n, i => SearchRange(q.AsSpan(i * Dimension, Dimension), 0, _ids.Length, k, ids.AsSpan(i * k, k), scores.AsSpan(i * k, k)));
        }

        return new VectorSearchResult(n, k, ids, scores);
    }

    /// <inheritdoc />
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: false);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(1);
        writer.Write(Dimension);
        writer.Write((long)_ids.Length);
        writer.Write(MemoryMarshal.AsBytes(_ids.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_vectors.AsSpan()));
    }

    /// <summary>Loads an index written by <see cref="Save"/>.</summary>
    /// <exception cref="RecFrameworkException">The file is not an exact index or is truncated.</exception>
    public static ExactVectorIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length));
        if (magic != Magic)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: not an exact vector index (header '{magic}').");
        }

        var version = reader.ReadInt32();
        if (version != 1)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: unsupported exact index version {version}.");
        }

        var dimension = reader.ReadInt32();
        var count = reader.ReadInt64();
        var expected = 8 + 4 + 4 + 8 + (count * 8) + (count * dimension * 4);
        if (dimension <= 0 || count < 0 || stream.Length != expected)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: dimension {dimension}, count {count} do not match the file length {stream.Length} (expected {expected}).");
        }

        var ids = new long[count];
        var vectors = new float[count * dimension];
        stream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
        return new ExactVectorIndex(dimension, vectors, ids);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void SearchOneParallel(float[] query, int k, long[] ids, float[] scores)
    {
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, _ids.Length / 4096));
        if (parts == 1)
        {
            SearchRange(query, 0, _ids.Length, k, ids, scores);
            return;
        }

        var partIds = new long[parts * k];
        var partScores = new float[parts * k];
        Parallel.For(0, parts, p =>
        {
            var from = (int)((long)_ids.Length * p / parts);
            var to = (int)((long)_ids.Length * (p + 1) / parts);
            SearchRange(query, from, to, k, partIds.AsSpan(p * k, k), partScores.AsSpan(p * k, k));
        });
        var merged = Enumerable.Range(0, parts * k).Where(i => partIds[i] >= 0)
            .OrderByDescending(i => partScores[i]).ThenBy(i => partIds[i]).Take(k).ToArray();
        for (var j = 0; j < merged.Length; j++)
        {
            ids[j] = partIds[merged[j]];
            scores[j] = partScores[merged[j]];
        }
    }

    private void SearchRange(ReadOnlySpan<float> query, int from, int to, int k, Span<long> ids, Span<float> scores)
    {
        // Min-heap of the best k (score, row); ties favour the smaller row.
        var heap = new PriorityQueue<int, (float Score, int NegRow)>(k + 1);
        for (var row = from; row < to; row++)
        {
            var score = Dot(query, _vectors.AsSpan(row * Dimension, Dimension));
            if (heap.Count < k)
            {
                heap.Enqueue(row, (score, -row));
            }
            else
            {
                heap.TryPeek(out _, out var worst);
                if (score > worst.Score)
                {
                    heap.DequeueEnqueue(row, (score, -row));
                }
            }
        }

        var count = heap.Count;
        for (var j = count - 1; j >= 0; j--)
        {
            heap.TryDequeue(out var row, out var key);
            ids[j] = _ids[row];
            scores[j] = key.Score;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var result = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }
}
