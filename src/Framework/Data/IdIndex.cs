namespace RecFramework.Data;

/// <summary>A dense index over external ids: id ↔ position in [0, Count). Positions follow ascending id order.</summary>
public sealed class IdIndex
{
    private readonly Dictionary<long, int> _positions;

    /// <summary>Builds the index from ids (duplicates allowed).</summary>
    public IdIndex(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var unique = new HashSet<long>(ids).ToArray();
        Array.Sort(unique);
        Ids = unique;
        _positions = new Dictionary<long, int>(unique.Length);
        for (var i = 0; i < unique.Length; i++)
        {
            _positions[unique[i]] = i;
        }
    }

    /// <summary>External ids by position, ascending.</summary>
    public long[] Ids { get; }

    /// <summary>Number of distinct ids.</summary>
    public int Count => Ids.Length;

    /// <summary>Position of <paramref name="id"/>, or -1 when it is unknown.</summary>
    public int PositionOf(long id) => _positions.TryGetValue(id, out var p) ? p : -1;

    /// <summary>Users of <paramref name="dataset"/>.</summary>
    public static IdIndex OfUsers(InteractionDataset dataset) => new(dataset.Interactions.Select(e => e.UserId));

    /// <summary>Items of <paramref name="dataset"/>.</summary>
    public static IdIndex OfItems(InteractionDataset dataset) => new(dataset.Interactions.Select(e => e.ItemId));
}
