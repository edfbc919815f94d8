namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// The distinct items of a batch for <see cref="Losses.InBatchSoftmaxDistinct"/>: their item positions in first-seen
/// order, the column of each example, each distinct item's log count and the first example holding it. One reusable
/// position → column map (stamped per batch), so a batch costs O(B) and no dictionary.
/// </summary>
internal sealed class DistinctBatchItems(int itemCount)
{
    private readonly int[] _column = new int[itemCount];
    private readonly int[] _stamp = new int[itemCount];
    private int _batch;

    /// <summary>The batch's distinct items.</summary>
    /// <param name="Items">Item positions, one per distinct item, in first-seen order.</param>
    /// <param name="Targets">The column (index into <paramref name="Items"/>) of each example.</param>
    /// <param name="LogCounts">log of each distinct item's count in the batch.</param>
    /// <param name="FirstExample">The first example of each distinct item.</param>
    internal readonly record struct Batch(long[]? Items, long[]? Targets, float[]? LogCounts, long[]? FirstExample);

    public Batch Of(long[] itemIndex)
    {
        _batch++;
        var targets = new long[itemIndex.Length];
        var items = new List<long>(itemIndex.Length);
        var counts = new List<int>(itemIndex.Length);
        var first = new List<long>(itemIndex.Length);
        for (var b = 0; b < itemIndex.Length; b++)
        {
            var position = (int)itemIndex[b];
            if (_stamp[position] != _batch)
            {
                _stamp[position] = _batch;
                _column[position] = items.Count;
                items.Add(position);
                counts.Add(0);
                first.Add(b);
            }

            var column = _column[position];
            targets[b] = column;
            counts[column]++;
        }

        return new Batch([.. items], targets, [.. counts.Select(c => (float)Math.Log(c))], [.. first]);
    }
}
