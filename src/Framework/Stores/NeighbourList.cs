namespace RecFramework.Stores;

/// <summary>
/// One neighbour list of a neighbourhood artifact: the top-K neighbour ids of an item (ItemCF, Swing) or of a user
/// (UserCF), best first, with their similarities. <see cref="Ids"/> and <see cref="Scores"/> have the same length.
/// </summary>
public sealed class NeighbourList
{
    private readonly long[] _ids;
    private readonly float[] _scores;

    /// <summary>Creates a list; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public NeighbourList(long[] ids, float[] scores)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(scores);
        if (ids.Length != scores.Length)
        {
            throw new ArgumentException($"Neighbour list has {ids.Length} ids but {scores.Length} scores.", nameof(scores));
        }

        _ids = ids;
        _scores = scores;
    }

    /// <summary>An empty list.</summary>
    public static NeighbourList Empty { get; } = new([], []);

    /// <summary>Neighbour ids, best first.</summary>
    public ReadOnlySpan<long> Ids => _ids;

    /// <summary>Similarity of each neighbour, aligned with <see cref="Ids"/>.</summary>
    public ReadOnlySpan<float> Scores => _scores;

    /// <summary>Number of neighbours.</summary>
    public int Count => _ids.Length;
}
