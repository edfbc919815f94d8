using System.Text;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss;

/// <summary>
/// A Faiss index over inner product (cosine on L2-normalised vectors) with 64-bit ids, built from an
/// <c>index_factory</c> description ("Flat", "HNSW32", "IVF1024,Flat", "IVF256,PQ16", ...).
/// <para>
/// Lifecycle: <see cref="Create"/> → <see cref="Train"/> (IVF/PQ; seeded k-means, a no-op otherwise) →
/// <see cref="Add"/> → share. <see cref="Train"/> and <see cref="Add"/> must finish before the index is shared;
/// afterwards the index is immutable and <see cref="Search(ReadOnlySpan{float}, int, VectorSearchParameters?)"/>
/// is safe from any number of threads (Faiss const search, per-call search parameters).
/// </para>
/// <para>
/// Determinism: training samples and k-means use <c>cp.seed</c>, HNSW levels use <c>hnsw.rng</c>, both set from the
/// seed, so IVF and PQ training give the same index for a seed and thread count. HNSW graphs are reproducible only
/// with one OpenMP thread (<see cref="FaissRuntime.SetThreads"/>, <c>VectorIndex:Threads = 1</c>): Faiss inserts in
/// parallel under per-node locks, so with more threads the links depend on the interleaving.
/// </para>
/// </summary>
public sealed class FaissIndex : IVectorIndex
{
    private readonly FaissIndexHandle _handle;

    // ntotal, kept here so that a search does not cross into native code twice (Add is the only writer and runs
    // before the index is shared).
    private long _count;

    private FaissIndex(FaissIndexHandle handle)
    {
        _handle = handle;
        NativeMethods.ThrowIfFailed(NativeMethods.IndexDimension(handle, out var d));
        Dimension = d;
        Description = ReadDescription(handle);
        _count = ReadCount(handle);
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public long Count
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _count;
        }
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <summary>True when the index is trained (or needs no training).</summary>
    public bool IsTrained
    {
        get
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexIsTrained(_handle, out var trained));
            return trained != 0;
        }
    }

    /// <summary>Creates an empty index.</summary>
    /// <param name="description">Faiss factory string, e.g. "HNSW32".</param>
    /// <param name="dimension">Vector dimension, &gt; 0.</param>
    /// <param name="seed">Seed of training and building.</param>
    /// <exception cref="FaissException">An invalid description (<see cref="FaissErrorCode.InvalidArgument"/>).</exception>
    public static FaissIndex Create(string description, int dimension, int seed = 42)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        FaissRuntime.EnsureConfigured();
        FaissIndexHandle? handle = null;
        FaissRuntime.Call(() => NativeMethods.IndexCreate(description, dimension, seed, out handle));
        return new FaissIndex(handle!);
    }

    /// <summary>Loads an index written by <see cref="Save"/>.</summary>
    /// <exception cref="FaissException">A missing or corrupt file (<see cref="FaissErrorCode.Io"/>, naming the path).</exception>
    public static FaissIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FaissException(FaissErrorCode.Io, $"Faiss index file '{full}' does not exist.");
        }

        FaissRuntime.EnsureConfigured();
        FaissIndexHandle? handle = null;
        FaissRuntime.Call(() => NativeMethods.IndexRead(full, out handle));
        return new FaissIndex(handle!);
    }

    /// <summary>Trains the index (k-means for IVF, codebooks for PQ); a no-op for Flat and HNSW.</summary>
    /// <param name="vectors">[n * Dimension] floats; IVF needs n &gt;= the number of lists.</param>
    public unsafe void Train(ReadOnlySpan<float> vectors)
    {
        var n = RowCount(vectors, "training vectors");
        if (n == 0)
        {
            throw new FaissException(FaissErrorCode.EmptyIndex, $"Training index '{Description}' needs at least one vector, got none.");
        }

        RequireFinite(vectors, "training vector");
        fixed (float* x = vectors)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexTrain(_handle, n, x));
        }
    }

    /// <summary>Adds vectors with their ids (ids must be &gt;= 0; -1 marks a missing result).</summary>
    /// <param name="vectors">[ids.Length * Dimension] floats.</param>
    /// <param name="ids">One id per vector.</param>
    public unsafe void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        var n = RowCount(vectors, "vectors");
        if (n != ids.Length)
        {
            throw new FaissException(FaissErrorCode.InvalidIds, $"Got {n} vectors of dimension {Dimension} but {ids.Length} ids.");
        }

        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0)
            {
                throw new FaissException(FaissErrorCode.InvalidIds, $"Id {ids[i]} at position {i} is negative; ids must be >= 0 (-1 marks a missing result).");
            }
        }

        RequireFinite(vectors, "vector");
        fixed (float* x = vectors)
        fixed (long* p = ids)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexAddWithIds(_handle, n, x, p));
        }

        _count = ReadCount(_handle);
    }

    /// <inheritdoc/>
    public VectorSearchResult Search(ReadOnlySpan<float> queries, int k, VectorSearchParameters? parameters = null)
    {
        var n = RowCount(queries, "queries");
        ValidateK(k);
        var ids = new long[n * k];
        var scores = new float[n * k];
        Search(queries, k, ids, scores, parameters);
        return new VectorSearchResult(n, k, ids, scores);
    }

    /// <summary>Batch top-k search into caller buffers (no allocation): the serving hot path.</summary>
    /// <param name="queries">[n * Dimension] floats.</param>
    /// <param name="k">Results per query, &gt; 0.</param>
    /// <param name="ids">[n * k] ids, -1 where fewer than k results.</param>
    /// <param name="scores">[n * k] inner products, best first.</param>
    /// <param name="parameters">nprobe (IVF) / efSearch (HNSW); members that do not apply to this index are ignored.</param>
    public unsafe void Search(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> scores, VectorSearchParameters? parameters = null)
    {
        var n = RowCount(queries, "queries");
        ValidateK(k);
        if (ids.Length != n * k || scores.Length != n * k)
        {
            throw new ArgumentException($"Result buffers must hold {n} * {k} = {n * k} entries; got {ids.Length} ids and {scores.Length} scores.", nameof(ids));
        }

        var (nprobe, ef) = ValidateParameters(parameters);
        RequireFinite(queries, "query");
        if (Count == 0)
        {
            throw new FaissException(FaissErrorCode.EmptyIndex, $"Index '{Description}' is empty: add vectors before searching.");
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = queries)
        fixed (long* labels = ids)
        fixed (float* distances = scores)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexSearch(_handle, n, x, k, nprobe, ef, distances, labels));
        }
    }

    /// <summary>
    /// Diagnostic: searches each query separately in a loop that runs entirely in native code and is timed there, the
    /// baseline against which the managed wrapper's per-call overhead (P/Invoke, pinning, validation) is measured.
    /// Results are the same as calling <see cref="Search(ReadOnlySpan{float}, int, Span{long}, Span{float}, VectorSearchParameters)"/> once per query.
    /// </summary>
    /// <param name="queries">[n * Dimension] floats.</param>
    /// <param name="k">Results per query, &gt; 0.</param>
    /// <param name="ids">[n * k] ids.</param>
    /// <param name="scores">[n * k] inner products.</param>
    /// <param name="parameters">nprobe / efSearch.</param>
    /// <param name="threadCpuTime">Time with the calling thread's CPU clock instead of the monotonic wall clock.</param>
    /// <returns>Seconds of the native loop.</returns>
    /// <exception cref="ArgumentException">A buffer length does not match, or k or a parameter is out of range.</exception>
    public unsafe double SearchLoopNative(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> scores, VectorSearchParameters? parameters = null, bool threadCpuTime = false)
    {
        var n = RowCount(queries, "queries");
        ValidateK(k);
        if (ids.Length != n * k || scores.Length != n * k)
        {
            throw new ArgumentException($"Result buffers must hold {n * k} entries.", nameof(ids));
        }

        var (nprobe, ef) = ValidateParameters(parameters);
        fixed (float* x = queries)
        fixed (long* labels = ids)
        fixed (float* distances = scores)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexSearchLoop(_handle, n, x, k, nprobe, ef, distances, labels, threadCpuTime ? 1 : 0, out var seconds));
            return seconds;
        }
    }

    /// <summary>
    /// Copies every stored vector and its id out of the index, in storage order (the exact reference of the recall
    /// audit). <c>Lossless</c> is true when the index stores the vectors uncompressed (Flat, HNSW, IVF-Flat); PQ
    /// indexes return decoded approximations.
    /// </summary>
    internal unsafe (long[] Ids, float[] Vectors, bool Lossless) ReconstructAll()
    {
        var n = checked((int)Count);
        var ids = new long[n];
        var vectors = new float[checked(n * Dimension)];
        int lossless;
        fixed (float* x = vectors)
        fixed (long* p = ids)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexReconstructAll(_handle, x, p, out lossless));
        }

        return (ids, vectors, lossless != 0);
    }

    /// <inheritdoc/>
    /// <exception cref="FaissException">The file cannot be written (<see cref="FaissErrorCode.Io"/>, naming the path).</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new FaissException(FaissErrorCode.Io, $"Cannot write Faiss index to '{full}': directory '{directory}' does not exist.");
        }

        NativeMethods.ThrowIfFailed(NativeMethods.IndexWrite(_handle, full));
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private static long ReadCount(FaissIndexHandle handle)
    {
        NativeMethods.ThrowIfFailed(NativeMethods.IndexNTotal(handle, out var n));
        return n;
    }

    private static unsafe string ReadDescription(FaissIndexHandle handle)
    {
        Span<byte> buffer = stackalloc byte[256];
        nuint needed;
        fixed (byte* p = buffer)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexDescription(handle, p, (nuint)buffer.Length, out needed));
        }

        if ((int)needed <= buffer.Length)
        {
            return Encoding.UTF8.GetString(buffer[..((int)needed - 1)]);
        }

        var large = new byte[(int)needed];
        fixed (byte* p = large)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexDescription(handle, p, (nuint)large.Length, out _));
        }

        return Encoding.UTF8.GetString(large, 0, large.Length - 1);
    }

    private int RowCount(ReadOnlySpan<float> values, string what)
    {
        if (values.Length % Dimension != 0)
        {
            throw new FaissException(FaissErrorCode.DimensionMismatch,
                $"The {what} hold {values.Length} floats, which is not a multiple of the index dimension {Dimension} (index '{Description}').");
        }

        return values.Length / Dimension;
    }

    private static void ValidateK(int k)
    {
        if (k <= 0)
        {
            throw new FaissException(FaissErrorCode.InvalidK, $"k must be > 0, got {k}.");
        }
    }

    private static (int NProbe, int EfSearch) ValidateParameters(VectorSearchParameters? parameters)
    {
        if (parameters is null)
        {
            return (0, 0);
        }

        if (parameters.NProbe is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.NProbe, $"NProbe must be > 0, got {parameters.NProbe}.");
        }

        if (parameters.EfSearch is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.EfSearch, $"EfSearch must be > 0, got {parameters.EfSearch}.");
        }

        return (parameters.NProbe ?? 0, parameters.EfSearch ?? 0);
    }

    private void RequireFinite(ReadOnlySpan<float> values, string what)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new FaissException(FaissErrorCode.NonFiniteValue,
                    $"The {what} at row {i / Dimension} has {values[i]} at component {i % Dimension}; vectors must be finite.");
            }
        }
    }
}
