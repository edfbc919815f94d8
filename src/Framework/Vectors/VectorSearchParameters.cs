namespace RecFramework.Vectors;

/// <summary>Search-time parameters; null members keep the index default.</summary>
/// <param name="NProbe">IVF: number of inverted lists probed.</param>
/// <param name="EfSearch">HNSW: size of the search frontier.</param>
public sealed record VectorSearchParameters(int? NProbe = null, int? EfSearch = null);
