using Microsoft.Extensions.Options;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss;

/// <summary>
/// Builds and loads <see cref="FaissIndex"/> instances. The first use applies <see cref="VectorIndexOptions.Threads"/>
/// and <see cref="VectorIndexOptions.BlasThreads"/> process-wide (see <see cref="FaissRuntime"/>).
/// <para>
/// <see cref="Build"/> (what channels call) builds the description the configuration imposes, if any
/// (<see cref="ConfiguredDescription"/>), else the one asked for. <see cref="Load"/> (what serving calls) returns an
/// index that applies the configured <see cref="VectorIndexOptions.NProbe"/> / <see cref="VectorIndexOptions.EfSearch"/>
/// to searches that name none and, when an audit is given and <see cref="VectorIndexOptions.AuditSampleRate"/> &gt; 0,
/// feeds a sample of its searches to the <see cref="VectorIndexRecallAudit"/>.
/// </para>
/// </summary>
public sealed class FaissVectorIndexFactory : IVectorIndexFactory
{
    private readonly VectorIndexOptions _options;
    private readonly VectorIndexRecallAudit? _audit;

    /// <summary>Creates the factory with default options (no recall audit).</summary>
    public FaissVectorIndexFactory()
        : this(Options.Create(new VectorIndexOptions()))
    {
    }

    /// <summary>Creates the factory (no recall audit).</summary>
    public FaissVectorIndexFactory(IOptions<VectorIndexOptions> options)
        : this(options, null)
    {
    }

    /// <summary>Creates the factory; indexes it loads feed <paramref name="audit"/> (the DI constructor).</summary>
    public FaissVectorIndexFactory(IOptions<VectorIndexOptions> options, VectorIndexRecallAudit? audit)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _audit = audit;
    }

    /// <summary>
    /// The description every <see cref="Build"/> uses whatever it is asked for: "Flat" when Kind is "exact", else
    /// <see cref="VectorIndexOptions.Description"/> (null: none imposed).
    /// </summary>
    public string? ConfiguredDescription => _options.Kind == "exact" ? "Flat" : _options.Description;

    /// <inheritdoc/>
    /// <remarks>Builds <see cref="ConfiguredDescription"/> when it is set, else <paramref name="description"/>.</remarks>
    public IVectorIndex Build(string description, int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42)
        => BuildFaiss(ConfiguredDescription ?? description, dimension, vectors, ids, seed);

    /// <summary>Builds an exact ("Flat") index: the reference of the recall audit.</summary>
    public FaissIndex BuildExact(int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
        => BuildFaiss("Flat", dimension, vectors, ids, 0);

    /// <summary>An exact ("Flat") index over a copy of <paramref name="index"/>'s vectors (the recall audit's reference).</summary>
    /// <exception cref="FaissException">The index stores compressed codes (PQ), not its vectors.</exception>
    internal FaissIndex BuildExactCopy(FaissIndex index)
    {
        var (ids, vectors, lossless) = index.ReconstructAll();
        if (!lossless)
        {
            throw new FaissException(FaissErrorCode.InvalidArgument,
                $"Index '{index.Description}' stores compressed codes, not its vectors: exact search over them would not be an exact reference.");
        }

        return BuildExact(index.Dimension, vectors, ids);
    }

    /// <summary>Builds (trains with <paramref name="seed"/> when needed) and fills a Faiss index; the description is used as given.</summary>
    /// <exception cref="FaissException">No vectors, ids/vectors length mismatch, NaN/Inf, negative ids, bad description.</exception>
    public FaissIndex BuildFaiss(string description, int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (ids.Length == 0)
        {
            throw new FaissException(FaissErrorCode.EmptyIndex, $"Cannot build index '{description}' from zero vectors.");
        }

        if ((long)ids.Length * dimension != vectors.Length)
        {
            throw new FaissException(FaissErrorCode.InvalidIds,
                $"Got {vectors.Length} floats for {ids.Length} ids of dimension {dimension}; expected {(long)ids.Length * dimension}.");
        }

        FaissRuntime.EnsureConfigured(_options.Threads, _options.BlasThreads);
        var index = FaissIndex.Create(description, dimension, seed);
        try
        {
            if (!index.IsTrained)
            {
                index.Train(vectors);
            }

            index.Add(vectors, ids);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The result applies the configured search parameters and feeds the recall audit (see the class remarks); it is
    /// the plain <see cref="FaissIndex"/> when neither is configured.
    /// </remarks>
    public IVectorIndex Load(string path)
    {
        FaissRuntime.EnsureConfigured(_options.Threads, _options.BlasThreads);
        return Serve(FaissIndex.Load(path));
    }

    /// <summary>Wraps <paramref name="index"/> for serving (configured search parameters, recall audit); takes ownership.</summary>
    internal IVectorIndex Serve(FaissIndex index)
    {
        var defaults = _options.SearchParameters;
        var audit = _audit is not null && _options.AuditSampleRate > 0 && _audit.Accepts(index) ? _audit : null;
        return defaults is null && audit is null ? index : new ServingVectorIndex(index, defaults, audit, this);
    }
}
