using Microsoft.Extensions.Options;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Faiss;

/// <summary>
/// Builds and loads <see cref="FaissIndex"/> instances. The first use applies <see cref="VectorIndexOptions.Threads"/>
/// and <see cref="VectorIndexOptions.BlasThreads"/> process-wide (see <see cref="FaissRuntime"/>).
/// </summary>
public sealed class FaissVectorIndexFactory : IVectorIndexFactory
{
    private readonly VectorIndexOptions _options;

    /// <summary>Creates the factory with default options.</summary>
    public FaissVectorIndexFactory()
        : this(Options.Create(new VectorIndexOptions()))
    {
    }

    /// <summary>Creates the factory.</summary>
    public FaissVectorIndexFactory(IOptions<VectorIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>The description configured for serving: <see cref="VectorIndexOptions.Description"/>, or "Flat" when Kind is "exact".</summary>
    public string ConfiguredDescription => _options.Kind == "exact" ? "Flat" : _options.Description;

    /// <inheritdoc/>
    public IVectorIndex Build(string description, int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42)
        => BuildFaiss(description, dimension, vectors, ids, seed);

    /// <summary>Builds the configured index (<see cref="ConfiguredDescription"/>).</summary>
    public FaissIndex BuildConfigured(int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42)
        => BuildFaiss(ConfiguredDescription, dimension, vectors, ids, seed);

    /// <summary>Builds an exact ("Flat") index: the reference of the recall audit.</summary>
    public FaissIndex BuildExact(int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
        => BuildFaiss("Flat", dimension, vectors, ids, 0);

    /// <summary>Builds (trains with <paramref name="seed"/> when needed) and fills a Faiss index.</summary>
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
    public IVectorIndex Load(string path)
    {
        FaissRuntime.EnsureConfigured(_options.Threads, _options.BlasThreads);
        return FaissIndex.Load(path);
    }
}
