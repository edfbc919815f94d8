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
