using System.Runtime.CompilerServices;

namespace RecFramework.Pipeline;

/// <summary>
/// A set of item ids with an <see cref="int"/> per id, for the merge's per-request bookkeeping: open addressing
/// (linear probing, power-of-two size, load ≤ ½), one 16-byte entry per slot, emptied in O(1) by a generation stamp.
/// The merge looks up about two thousand ids per request (dedupe while filtering, then fusion); a
/// <see cref="Dictionary{TKey, TValue}"/> or <see cref="HashSet{T}"/> spent a bucket and an entry array read each, and a
/// clear of both per request. Reusable; not thread-safe.
/// </summary>
internal sealed class LongSlots
{
    private Entry[] _entries;
    private int _mask;
    private int _shift;
    private int _generation = 1;

    /// <summary>Creates an empty table with room for <paramref name="capacity"/> ids before it grows.</summary>
    public LongSlots(int capacity = 1024)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _entries = new Entry[size];
        _mask = size - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    /// <summary>Ids held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The value of <paramref name="key"/>, added with value 0 when absent (<paramref name="exists"/> false). The
    /// reference is valid until the next addition.
    /// </summary>
    public ref int GetValueRefOrAddDefault(long key, out bool exists)
    {
        if (Count * 2 >= _entries.Length)
        {
            Grow();
        }

        var entries = _entries;
        var i = Home(key);
        while (entries[i].Stamp == _generation)
        {
            if (entries[i].Key == key)
            {
                exists = true;
                return ref entries[i].Value;
            }

            i = (i + 1) & _mask;
        }

        ref var entry = ref entries[i];
        entry.Stamp = _generation;
        entry.Key = key;
        entry.Value = 0;
        Count++;
        exists = false;
        return ref entry.Value;
    }

    /// <summary>Adds <paramref name="key"/>; false when it was already held.</summary>
    public bool Add(long key)
    {
        GetValueRefOrAddDefault(key, out var exists);
        return !exists;
    }

    /// <summary>True when <paramref name="key"/> is held.</summary>
    public bool Contains(long key)
    {
        var i = Home(key);
        while (_entries[i].Stamp == _generation)
        {
            if (_entries[i].Key == key)
            {
                return true;
            }

            i = (i + 1) & _mask;
        }

        return false;
    }

    /// <summary>Empties the table (O(1); every 2³¹ clears the stamps are reset).</summary>
    public void Clear()
    {
        Count = 0;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_entries);
            _generation = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var old = _entries;
        var generation = _generation;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        _shift--;
        _generation = 1;
        foreach (var entry in old)
        {
            if (entry.Stamp != generation)
            {
                continue;
            }

            var i = Home(entry.Key);
            while (_entries[i].Stamp == 1)
            {
                i = (i + 1) & _mask;
            }

            _entries[i] = entry with { Stamp = 1 };
        }
    }

    private struct Entry
    {
        public long Key;
        public int Stamp;
        public int Value;
    }
}
