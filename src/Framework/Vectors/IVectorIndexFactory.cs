namespace RecFramework.Vectors;

/// <summary>Builds and loads <see cref="IVectorIndex"/> instances of one implementation (Faiss by default).</summary>
public interface IVectorIndexFactory
{
    /// <summary>Builds (trains when needed, seeded) and fills an index.</summary>
    /// <param name="description">Index description, e.g. "Flat", "HNSW32", "IVF1024,Flat".</param>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="vectors">[ids.Length * dimension] floats.</param>
    /// <param name="ids">64-bit ids, one per vector.</param>
    /// <param name="seed">Seed for training (k-means sampling).</param>
    IVectorIndex Build(string description, int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42);

    /// <summary>Loads an index written by <see cref="IVectorIndex.Save"/>.</summary>
    IVectorIndex Load(string path);
}
