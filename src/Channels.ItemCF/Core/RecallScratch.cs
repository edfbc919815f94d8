namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Per-thread buffers of the online recall: the sparse score accumulator, history marks and likes (dense, sized to
/// the largest artifact seen on the thread, read only for the ≤ last-N history items) and the selection's key buffer. Requests
/// run synchronously on one thread, so no locking is needed and no allocation happens on the hot path after warm-up.
/// </summary>
internal sealed class RecallScratch
{
    [ThreadStatic]
    private static RecallScratch? s_current;

    private RecallScratch(int size)
    {
        Stamp = new int[size];
        HistoryLike = new float[size];
    }

    /// <summary>Accumulated candidate scores of the request.</summary>
    public SparseScores Scores { get; } = new();

    /// <summary>Marks of the user's history items (equal to the generation <see cref="NextGeneration"/> returned).</summary>
    public int[] Stamp { get; }

    /// <summary>like(user, item) of the marked history items.</summary>
    public float[] HistoryLike { get; }

    /// <summary>History positions in use (first <see cref="HistoryCount"/>).</summary>
    public int[] HistoryItems { get; private set; } = new int[64];

    /// <summary>Number of history positions.</summary>
    public int HistoryCount { get; set; }

    private ulong[] _keys = new ulong[512];

    /// <summary>Capacity of the dense buffers.</summary>
    public int Size => HistoryLike.Length;

    private int Generation { get; set; }

    /// <summary>A key buffer of at least <paramref name="length"/> entries for the answer's selection.</summary>
    public ulong[] Keys(int length) => _keys.Length >= length ? _keys : _keys = new ulong[Math.Max(length, _keys.Length * 2)];

    /// <summary>Appends a history position.</summary>
    public void AddHistory(int position)
    {
        if (HistoryCount == HistoryItems.Length)
        {
            var grown = new int[HistoryItems.Length * 2];
            HistoryItems.CopyTo(grown, 0);
            HistoryItems = grown;
        }

        HistoryItems[HistoryCount++] = position;
    }

    /// <summary>Starts a new stamp generation (all marks cleared in O(1)).</summary>
    public int NextGeneration()
    {
        if (++Generation == int.MaxValue)
        {
            Array.Clear(Stamp);
            Generation = 1;
        }

        return Generation;
    }

    /// <summary>This thread's scratch with room for <paramref name="size"/> positions, emptied.</summary>
    public static RecallScratch Rent(int size)
    {
        var scratch = s_current;
        if (scratch is null || scratch.Size < size)
        {
            scratch = s_current = new RecallScratch(Math.Max(size, 1));
        }

        scratch.Scores.Clear();
        scratch.HistoryCount = 0;
        return scratch;
    }
}
