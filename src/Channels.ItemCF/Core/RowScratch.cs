namespace RecFramework.Channels.ItemCF;

/// <summary>
/// One worker's dense scratch for accumulating a row of scores: an accumulator per column, the list of touched
/// columns, a stamp array for set marking, and a top-K heap. Allocated once per worker, reset per row.
/// </summary>
internal sealed class RowScratch(int columns, int k)
{
    private int[] _chunkColumns = [];
    private float[] _chunkValues = [];

    /// <summary>Accumulated score per column (0 = untouched).</summary>
    public float[] Scores { get; } = new float[columns];

    /// <summary>Columns touched in this row (first <see cref="TouchedCount"/> entries).</summary>
    public int[] Touched { get; private set; } = new int[Math.Min(columns, 1024)];

    /// <summary>Number of touched columns.</summary>
    public int TouchedCount { get; private set; }

    /// <summary>Marks for set membership; compare with <see cref="Generation"/>.</summary>
    public int[] Stamp { get; } = new int[columns];

    /// <summary>Current stamp generation (see <see cref="NextGeneration"/>).</summary>
    public int Generation { get; private set; }

    /// <summary>General-purpose int buffer for kernels.</summary>
    public int[] Buffer { get; set; } = new int[256];

    /// <summary>Top-K selection of the row.</summary>
    public TopKHeap Heap { get; } = new(k);

    /// <summary>A column buffer of at least <paramref name="length"/> entries for a chunk's results.</summary>
    public int[] ChunkColumns(int length) => _chunkColumns.Length >= length ? _chunkColumns : _chunkColumns = new int[length];

    /// <summary>A value buffer of at least <paramref name="length"/> entries for a chunk's results.</summary>
    public float[] ChunkValues(int length) => _chunkValues.Length >= length ? _chunkValues : _chunkValues = new float[length];

    /// <summary>Adds a strictly positive <paramref name="value"/> to column <paramref name="column"/>.</summary>
    public void Add(int column, float value)
    {
        ref var slot = ref Scores[column];
        if (slot == 0)
        {
            if (TouchedCount == Touched.Length)
            {
                var grown = new int[Touched.Length * 2];
                Touched.AsSpan().CopyTo(grown);
                Touched = grown;
            }

            Touched[TouchedCount++] = column;
        }

        slot += value;
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

    /// <summary>Zeroes the touched scores.</summary>
    public void Clear()
    {
        for (var t = 0; t < TouchedCount; t++)
        {
            Scores[Touched[t]] = 0;
        }

        TouchedCount = 0;
    }
}
