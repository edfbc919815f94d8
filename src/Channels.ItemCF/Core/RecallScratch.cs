namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Per-thread dense buffers of the online recall (scores, touched list, history marks, top-K heap), sized to the
/// largest artifact seen on the thread. Requests run synchronously on one thread, so no locking is needed and no
/// allocation happens on the hot path after warm-up.
/// </summary>
internal sealed class RecallScratch
{
    [ThreadStatic]
    private static RecallScratch? s_current;

    private RecallScratch(int size)
    {
        Row = new RowScratch(size, 64);
        HistoryLike = new float[size];
    }

    /// <summary>Score accumulator, touched list and stamps (stamps mark the user's history items).</summary>
    public RowScratch Row { get; }

    /// <summary>like(user, item) of the marked history items.</summary>
    public float[] HistoryLike { get; }

    /// <summary>History positions in use (first <see cref="HistoryCount"/>).</summary>
    public int[] HistoryItems { get; private set; } = new int[64];

    /// <summary>Number of history positions.</summary>
    public int HistoryCount { get; set; }

    /// <summary>Capacity of the dense buffers.</summary>
    public int Size => HistoryLike.Length;

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

    /// <summary>This thread's scratch with room for <paramref name="size"/> positions, emptied.</summary>
    public static RecallScratch Rent(int size)
    {
        var scratch = s_current;
        if (scratch is null || scratch.Size < size)
        {
            scratch = s_current = new RecallScratch(Math.Max(size, 1));
        }

        scratch.Row.Clear();
        scratch.HistoryCount = 0;
        return scratch;
    }
}
