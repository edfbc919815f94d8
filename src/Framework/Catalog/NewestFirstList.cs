namespace RecFramework.Catalog;

/// <summary>An item's place in a newest-first list: time (UTC ticks; items without one last), then id.</summary>
/// <param name="Ticks">The item's time in UTC ticks, <see cref="long.MinValue"/> without one.</param>
/// <param name="ItemId">The item.</param>
internal readonly record struct CatalogEntry(long Ticks, long ItemId)
{
    /// <summary>Newest first; equal times by ascending id.</summary>
    public static int Compare(CatalogEntry a, CatalogEntry b) =>
        a.Ticks != b.Ticks ? b.Ticks.CompareTo(a.Ticks) : a.ItemId.CompareTo(b.ItemId);

    /// <summary>The entry of <paramref name="item"/>.</summary>
    public static CatalogEntry Of(CatalogItem item) => new(item.Time?.UtcTicks ?? long.MinValue, item.ItemId);
}

/// <summary>
/// The items of one catalogue (field, value) in newest-first order, as sorted chunks of at most
/// <see cref="ChunkSize"/> entries (plain structs: the garbage collector never scans them; a chunk's array grows by
/// doubling, so a value with three items holds four slots). A sorted set held one
/// node object per item and value — 3.8 million at a million items — which every background collection marked, and
/// each insertion rebalanced old nodes to point at a new one, work for the next young collection in scattered
/// places. An insertion here moves at most one chunk's entries and allocates only when a chunk splits. Not
/// thread-safe: <see cref="InMemoryItemCatalog"/> holds its lock around every call.
/// </summary>
internal sealed class NewestFirstList
{
    /// <summary>Most entries in one chunk (8 KB of entries); a full chunk splits in two halves.</summary>
    public const int ChunkSize = 512;

    private readonly List<Chunk> _chunks = [];

    /// <summary>Entries held.</summary>
    public int Count { get; private set; }

    /// <summary>Chunks held (for tests: a list of n entries needs at least n / <see cref="ChunkSize"/>).</summary>
    internal int ChunkCount => _chunks.Count;

    /// <summary>Adds <paramref name="entry"/> in order; false when it is already held.</summary>
    public bool Add(CatalogEntry entry)
    {
        if (_chunks.Count == 0)
        {
            _chunks.Add(new Chunk());
        }

        var c = ChunkFor(entry);
        var chunk = _chunks[c];
        var at = chunk.Find(entry);
        if (at >= 0)
        {
            return false;
        }

        at = ~at;
        if (chunk.Count == ChunkSize)
        {
            var upper = chunk.SplitUpperHalf();
            _chunks.Insert(c + 1, upper);
            if (at > chunk.Count)
            {
                (chunk, at) = (upper, at - chunk.Count);
            }
        }

        chunk.InsertAt(at, entry);
        Count++;
        return true;
    }

    /// <summary>Removes <paramref name="entry"/>; false when it is not held.</summary>
    public bool Remove(CatalogEntry entry)
    {
        if (_chunks.Count == 0)
        {
            return false;
        }

        var c = ChunkFor(entry);
        var chunk = _chunks[c];
        var at = chunk.Find(entry);
        if (at < 0)
        {
            return false;
        }

        chunk.RemoveAt(at);
        Count--;
        if (chunk.Count == 0)
        {
            _chunks.RemoveAt(c);
        }
        else if (c + 1 < _chunks.Count && chunk.Count + _chunks[c + 1].Count <= ChunkSize / 2)
        {
            chunk.Append(_chunks[c + 1]); // keeps chunks from thinning out under removals
            _chunks.RemoveAt(c + 1);
        }

        return true;
    }

    /// <summary>Every entry, newest first.</summary>
    public IEnumerable<CatalogEntry> InOrder()
    {
        foreach (var chunk in _chunks)
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                yield return chunk.Items[i];
            }
        }
    }

    /// <summary>The chunk whose range takes <paramref name="entry"/>: the first whose last entry is not before it, else the last.</summary>
    private int ChunkFor(CatalogEntry entry)
    {
        int lo = 0, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (CatalogEntry.Compare(_chunks[mid].Last, entry) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class Chunk
    {
        private const int InitialCapacity = 4;

        // Grows by doubling up to ChunkSize: most (field, value) pairs hold a handful of items.
        public CatalogEntry[] Items { get; private set; } = new CatalogEntry[InitialCapacity];

        public int Count { get; private set; }

        public CatalogEntry Last => Items[Count - 1];

        /// <summary>The entry's index, or the bitwise complement of where it would go.</summary>
        public int Find(CatalogEntry entry)
        {
            int lo = 0, hi = Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var order = CatalogEntry.Compare(Items[mid], entry);
                if (order == 0)
                {
                    return mid;
                }

                if (order < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return ~lo;
        }

        public void InsertAt(int at, CatalogEntry entry)
        {
            Reserve(Count + 1);
            Array.Copy(Items, at, Items, at + 1, Count - at);
            Items[at] = entry;
            Count++;
        }

        public void RemoveAt(int at)
        {
            Array.Copy(Items, at + 1, Items, at, Count - at - 1);
            Count--;
        }

        public Chunk SplitUpperHalf()
        {
            var upper = new Chunk();
            var keep = Count / 2;
            upper.Reserve(Count - keep);
            Array.Copy(Items, keep, upper.Items, 0, Count - keep);
            upper.Count = Count - keep;
            Count = keep;
            return upper;
        }

        public void Append(Chunk next)
        {
            Reserve(Count + next.Count);
            Array.Copy(next.Items, 0, Items, Count, next.Count);
            Count += next.Count;
        }

        private void Reserve(int count)
        {
            if (count > Items.Length)
            {
                var items = Items;
                Array.Resize(ref items, Math.Min(ChunkSize, Math.Max(count, Items.Length * 2)));
                Items = items;
            }
        }
    }
}
