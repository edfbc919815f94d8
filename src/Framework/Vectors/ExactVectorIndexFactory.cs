namespace RecFramework.Vectors;

/// <summary>
/// Builds and loads <see cref="ExactVectorIndex"/> instances. Every description is served exactly (an exact index is
/// the upper bound of any approximate one), and the index reports "Flat".
/// </summary>
public sealed class ExactVectorIndexFactory : IVectorIndexFactory
{
    /// <inheritdoc />
    public IVectorIndex Build(string description, int dimension, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, int seed = 42)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new ExactVectorIndex(dimension, vectors, ids);
    }

    /// <inheritdoc />
    public IVectorIndex Load(string path) => ExactVectorIndex.Load(path);
}
