namespace RecFramework.Channels.TwoTower.Features;

/// <summary>
/// Encoded feature rows of n users or items, in the flat layouts the towers read: id slots [n], categorical slots
/// [n * CategoricalFields], multi-valued slots [n * MultiFields * MultiLength] (0 = padding) and continuous
/// values [n * ContinuousFields]; on the user side optionally the recent-history item slots [n * HistoryLength]
/// (0 = padding, newest last).
/// </summary>
internal sealed class EncodedRows
{
    public EncodedRows(int count, int categoricalFields, int multiFields, int multiLength, int continuousFields)
    {
        Count = count;
        CategoricalFields = categoricalFields;
        MultiFields = multiFields;
        MultiLength = multiLength;
        ContinuousFields = continuousFields;
        Ids = new long[count];
        Categorical = new long[count * categoricalFields];
        Multi = new long[count * multiFields * multiLength];
        Continuous = new float[count * continuousFields];
    }

    public int Count { get; }

    public int CategoricalFields { get; }

    public int MultiFields { get; }

    public int MultiLength { get; }

    public int ContinuousFields { get; }

    public long[] Ids { get; }

    public long[] Categorical { get; }

    public long[] Multi { get; }

    public float[] Continuous { get; }

    /// <summary>History slots per row (0 when the rows carry no history).</summary>
    public int HistoryLength { get; private set; }

    /// <summary>Item id slots of each row's recent history, [Count * HistoryLength], 0 = padding, newest last.</summary>
    public long[] History { get; private set; } = [];

    /// <summary>Attaches history slots ([Count * <paramref name="length"/>]) to the rows.</summary>
    public void SetHistory(int length, long[] slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (slots.Length != (long)Count * length)
        {
            throw new ArgumentException($"History needs {Count} * {length} slots, got {slots.Length}.", nameof(slots));
        }

        HistoryLength = length;
        History = slots;
    }

    /// <summary>A one-row copy of row <paramref name="row"/>.</summary>
    public EncodedRows Row(int row)
    {
        var one = new EncodedRows(1, CategoricalFields, MultiFields, MultiLength, ContinuousFields);
        one.Ids[0] = Ids[row];
        Array.Copy(Categorical, row * CategoricalFields, one.Categorical, 0, CategoricalFields);
        Array.Copy(Multi, row * MultiFields * MultiLength, one.Multi, 0, MultiFields * MultiLength);
        Array.Copy(Continuous, row * ContinuousFields, one.Continuous, 0, ContinuousFields);
        if (HistoryLength > 0)
        {
            one.SetHistory(HistoryLength, History.AsSpan(row * HistoryLength, HistoryLength).ToArray());
        }

        return one;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(CategoricalFields);
        writer.Write(MultiFields);
        writer.Write(MultiLength);
        writer.Write(ContinuousFields);
        foreach (var v in Ids) writer.Write(v);
        foreach (var v in Categorical) writer.Write(v);
        foreach (var v in Multi) writer.Write(v);
        foreach (var v in Continuous) writer.Write(v);
        writer.Write(HistoryLength);
        foreach (var v in History) writer.Write(v);
    }

    public static EncodedRows Read(BinaryReader reader)
    {
        var rows = new EncodedRows(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        for (var i = 0; i < rows.Ids.Length; i++) rows.Ids[i] = reader.ReadInt64();
        for (var i = 0; i < rows.Categorical.Length; i++) rows.Categorical[i] = reader.ReadInt64();
        for (var i = 0; i < rows.Multi.Length; i++) rows.Multi[i] = reader.ReadInt64();
        for (var i = 0; i < rows.Continuous.Length; i++) rows.Continuous[i] = reader.ReadSingle();
        var historyLength = reader.ReadInt32();
        var history = new long[(long)rows.Count * historyLength];
        for (var i = 0; i < history.Length; i++) history[i] = reader.ReadInt64();
        rows.SetHistory(historyLength, history);
        return rows;
    }
}
