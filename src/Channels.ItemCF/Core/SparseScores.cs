using System.Runtime.CompilerServices;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// A score accumulator keyed by column position: an open-addressing table (linear probing, power-of-two size, load
/// ≤ ½) sized to the columns a request touches — a few thousand — instead of a dense array the width of the item
/// space. At 1M items a dense array is 4 MB per channel and every contribution was a cache miss; this table stays in
/// the core's own cache (16,384 slots are 128 KB). Each column's additions happen in the order they are made, so the
/// sums are bit for bit those of a dense accumulator. Reusable (<see cref="Clear"/>); not thread-safe.
/// </summary>
internal sealed class SparseScores
{
    private const int InitialCapacity = 8192;

    private Slot[] _slots;
    private int[] _used;
    private int _mask;
    private int _shift;

    /// <summary>Creates an empty table.</summary>
    public SparseScores()
    {
        _slots = new Slot[InitialCapacity];
        _used = new int[InitialCapacity / 2];
        _mask = InitialCapacity - 1;
        _shift = 32 - System.Numerics.BitOperations.Log2(InitialCapacity);
    }

    /// <summary>Columns held (each added at least once since the last <see cref="Clear"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Slots in the table (grows with the columns held, never shrinks).</summary>
    public int Capacity => _slots.Length;

    /// <summary>Adds <paramref name="value"/> to <paramref name="column"/>'s sum (a column not held starts at 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int column, float value)
    {
        var key = column + 1;
        var slots = _slots;
        var i = Home(key);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Key == key)
            {
                slot.Value += value;
                return;
            }

            if (slot.Key == 0)
            {
                slot.Key = key;
                slot.Value = value;
                _used[Count++] = i;
                if (Count == _used.Length)
                {
                    Grow();
                }

                return;
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>Sets a held column's sum to 0 (callers skip zero sums); a column not held stays absent.</summary>
    public void Zero(int column)
    {
        var key = column + 1;
        var i = Home(key);
        while (_slots[i].Key != 0)
        {
            if (_slots[i].Key == key)
            {
                _slots[i].Value = 0;
                return;
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>The <paramref name="index"/>-th column held, in the order columns were first added, and its sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Column, float Score) At(int index)
    {
        var slot = _slots[_used[index]];
        return (slot.Key - 1, slot.Value);
    }

    /// <summary>
    /// The best <paramref name="fetch"/> positive sums as keys (<see cref="KeyOf"/>), best first — higher sum, then
    /// smaller column — in <paramref name="keys"/>[..returned count]; zero sums are skipped.
    /// </summary>
    /// <remarks>
    /// One 64-bit key per candidate (the sum's bits over the inverted column: positive floats order as their bits) makes
    /// each comparison a single integer compare: a min-heap of <paramref name="fetch"/> keys over the table, then one
    /// sort of the heap. A heap of (column, sum) pairs with a tie rule, drained one sift at a time, had cost as much as
    /// the accumulation itself.
    /// </remarks>
    /// <param name="fetch">Keys wanted (≥ 0).</param>
    /// <param name="keys">Room for at least <paramref name="fetch"/> keys.</param>
    public int Top(int fetch, Span<ulong> keys)
    {
        var heap = keys[..Math.Min(fetch, keys.Length)];
        var size = 0;
        if (heap.Length == 0)
        {
            return 0;
        }

        for (var u = 0; u < Count; u++)
        {
            var slot = _slots[_used[u]];
            if (slot.Value <= 0)
            {
                continue;
            }

            var key = KeyOf(slot.Key - 1, slot.Value);
            if (size < heap.Length)
            {
                heap[size++] = key;
                if (size == heap.Length)
                {
                    for (var i = (size / 2) - 1; i >= 0; i--)
                    {
                        SiftDown(heap, i);
                    }
                }
            }
            else if (key > heap[0])
            {
                heap[0] = key;
                SiftDown(heap, 0);
            }
        }

        heap[..size].Sort();
        heap[..size].Reverse();
        return size;
    }

    /// <summary>The ordering key of a positive <paramref name="score"/> of <paramref name="column"/>: larger is better.</summary>
    public static ulong KeyOf(int column, float score) => ((ulong)BitConverter.SingleToUInt32Bits(score) << 32) | (uint)(int.MaxValue - column);

    /// <summary>The column of a key.</summary>
    public static int ColumnOf(ulong key) => int.MaxValue - (int)(uint)key;

    /// <summary>The score of a key.</summary>
    public static float ScoreOf(ulong key) => BitConverter.UInt32BitsToSingle((uint)(key >> 32));

    /// <summary>Empties the table.</summary>
    public void Clear()
    {
        if (Count * 8 >= _slots.Length)
        {
            Array.Clear(_slots);
        }
        else
        {
            for (var u = 0; u < Count; u++)
            {
                _slots[_used[u]] = default;
            }
        }

        Count = 0;
    }

    private static void SiftDown(Span<ulong> heap, int i)
    {
        var n = heap.Length;
        var key = heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= key)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = key;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(int key) => (int)(((uint)key * 0x9E3779B1u) >> _shift);

    /// <summary>Doubles the table and re-inserts every held column in first-added order (sums carried over).</summary>
    private void Grow()
    {
        var old = _slots;
        var oldUsed = _used;
        var count = Count;
        _slots = new Slot[old.Length * 2];
        _used = new int[_slots.Length / 2];
        _mask = _slots.Length - 1;
        _shift--;
        for (var u = 0; u < count; u++)
        {
            var slot = old[oldUsed[u]];
            var i = Home(slot.Key);
            while (_slots[i].Key != 0)
            {
                i = (i + 1) & _mask;
            }

            _slots[i] = slot;
            _used[u] = i;
        }
    }

    private struct Slot
    {
        public int Key;
        public float Value;
    }
}
