namespace RecFramework.Channels.ItemCF;

/// <summary>
/// A compact sparse row matrix keyed by external ids: row <c>r</c> (external id <see cref="RowIds"/>[r]) holds the
/// entries <see cref="Columns"/>[<see cref="Offsets"/>[r]..<see cref="Offsets"/>[r + 1]) with their
/// <see cref="Values"/>; column positions index <see cref="ColumnIds"/>. Both id arrays are ascending, so lookups are a
/// search of a sorted array (<see cref="SortedIds"/>; no dictionaries). Immutable once built.
/// </summary>
internal sealed class CsrMatrix
{
    /// <summary>Creates a matrix and checks its invariants.</summary>
    /// <exception cref="RecFrameworkException">The arrays are inconsistent (<see cref="RecError.ArtifactCorrupt"/>).</exception>
    public CsrMatrix(long[] rowIds, long[] columnIds, int[] offsets, int[] columns, float[] values, string source = "(memory)")
    {
        RowIds = rowIds;
        ColumnIds = columnIds;
        Offsets = offsets;
        Columns = columns;
        Values = values;
        Validate(source);
    }

    /// <summary>External ids of the rows, ascending.</summary>
    public long[] RowIds { get; }

    /// <summary>External ids of the column positions, ascending.</summary>
    public long[] ColumnIds { get; }

    /// <summary>Row start offsets, length <c>RowCount + 1</c>.</summary>
    public int[] Offsets { get; }

    /// <summary>Column positions of the entries.</summary>
    public int[] Columns { get; }

    /// <summary>Entry values (similarities, likes).</summary>
    public float[] Values { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => RowIds.Length;

    /// <summary>Number of stored entries.</summary>
    public int EntryCount => Columns.Length;

    /// <summary>Row position of external id <paramref name="id"/>, or -1.</summary>
    public int RowOf(long id) => SortedIds.IndexOf(RowIds, id);

    /// <summary>Column position of external id <paramref name="id"/>, or -1.</summary>
    public int ColumnOf(long id) => SortedIds.IndexOf(ColumnIds, id);

    /// <summary>Column positions of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> ColumnsOf(int row) => Columns.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Approximate size in bytes of the arrays.</summary>
    public long Bytes => (RowIds.LongLength + ColumnIds.LongLength) * 8 + (Offsets.LongLength + Columns.LongLength + Values.LongLength) * 4;

    /// <summary>Builds a matrix from per-row arrays (null rows are empty).</summary>
    public static CsrMatrix FromRows(long[] rowIds, long[] columnIds, int[]?[] rowColumns, float[]?[] rowValues)
    {
        var offsets = new int[rowIds.Length + 1];
        long total = 0;
        for (var r = 0; r < rowIds.Length; r++)
        {
            total += rowColumns[r]?.Length ?? 0;
            if (total > int.MaxValue)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Sparse index would hold {total} entries, more than {int.MaxValue}; lower the neighbour count.");
            }

            offsets[r + 1] = (int)total;
        }

        var columns = new int[total];
        var values = new float[total];
        for (var r = 0; r < rowIds.Length; r++)
        {
            if (rowColumns[r] is { } c)
            {
                c.CopyTo(columns, offsets[r]);
                rowValues[r]!.CopyTo(values, offsets[r]);
            }
        }

        return new CsrMatrix(rowIds, columnIds, offsets, columns, values);
    }

    private void Validate(string source)
    {
        static RecFrameworkException Corrupt(string source, string what) => new(RecError.ArtifactCorrupt, $"Sparse index '{source}' is corrupt: {what}.");
        if (Offsets.Length != RowIds.Length + 1 || Offsets[0] != 0 || Offsets[^1] != Columns.Length || Columns.Length != Values.Length)
        {
            throw Corrupt(source, $"{RowIds.Length} rows, {Offsets.Length} offsets, {Columns.Length} columns, {Values.Length} values");
        }

        for (var r = 0; r < RowIds.Length; r++)
        {
            if (Offsets[r + 1] < Offsets[r])
            {
                throw Corrupt(source, $"offset of row {r} decreases ({Offsets[r]} → {Offsets[r + 1]})");
            }

            if (r > 0 && RowIds[r] <= RowIds[r - 1])
            {
                throw Corrupt(source, $"row ids not ascending at row {r} (id {RowIds[r]})");
            }
        }

        for (var c = 1; c < ColumnIds.Length; c++)
        {
            if (ColumnIds[c] <= ColumnIds[c - 1])
            {
                throw Corrupt(source, $"column ids not ascending at position {c} (id {ColumnIds[c]})");
            }
        }

        var columnCount = (uint)ColumnIds.Length;
        foreach (var c in Columns)
        {
            if ((uint)c >= columnCount)
            {
                throw Corrupt(source, $"column position {c} outside [0, {columnCount})");
            }
        }

        foreach (var v in Values)
        {
            if (!float.IsFinite(v))
            {
                throw Corrupt(source, $"non-finite value {v}");
            }
        }
    }

}
