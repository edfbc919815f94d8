using System.Runtime.InteropServices;
using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>
/// Per-thread buffers of the synchronous merge step of a request (per-channel filtering, fusion, fill-up), reused
/// from request to request: with five channels of a few hundred candidates each, the sets, dictionaries and lists
/// the merge would otherwise allocate are most of a request's garbage, and each collection of it pauses the service.
/// Only code without an <c>await</c> between renting and the last use may hold it.
/// </summary>
internal sealed class MergeScratch
{
    [ThreadStatic]
    private static MergeScratch? s_current;

    private ScoredItem[] _filtered = new ScoredItem[1024];
    private int _filteredCount;

    private long[] _items = new long[1024];
    private double[] _scores = new double[1024];
    private int[] _head = new int[1024];
    private int[] _tail = new int[1024];
    private int[] _order = new int[1024];
    private int[] _chainList = new int[1024];
    private int[] _chainNext = new int[1024];
    private int _chainCount;

    /// <summary>Ids seen by the current filter or fill pass.</summary>
    public LongSlots Seen { get; } = new();

    /// <summary>Item id → slot of the candidates fused so far.</summary>
    public LongSlots Slots { get; } = new();

    /// <summary>Candidates fused so far (slots 0 … Count-1, in order of first appearance).</summary>
    public int Count => Slots.Count;

    /// <summary>The calling thread's buffers, emptied.</summary>
    public static MergeScratch Rent()
    {
        var scratch = ForFusion();
        scratch._filteredCount = 0;
        scratch.Seen.Clear();
        return scratch;
    }

    /// <summary>The calling thread's buffers with no candidates fused (filtered segments stay valid).</summary>
    public static MergeScratch ForFusion()
    {
        var scratch = s_current ??= new MergeScratch();
        scratch._chainCount = 0;
        scratch.Slots.Clear();
        return scratch;
    }

    /// <summary>
    /// The first <paramref name="quota"/> candidates of <paramref name="items"/> that are neither excluded nor
    /// repeated, copied into this scratch (valid until the next <see cref="Rent"/> on this thread).
    /// </summary>
    public ArraySegment<ScoredItem> Filter(IReadOnlyList<ScoredItem> items, HashSet<long> exclude, int quota)
    {
        Seen.Clear();
        var wanted = Math.Min(items.Count, quota);
        if (_filtered.Length - _filteredCount < wanted)
        {
            // Earlier segments keep pointing at the old array, which is never written again.
            _filtered = new ScoredItem[Math.Max(_filtered.Length * 2, _filteredCount + wanted)];
            _filteredCount = 0;
        }

        var start = _filteredCount;
        var candidates = ScoredItemSpan.Of(items);
        for (var i = 0; i < candidates.Length && _filteredCount - start < quota; i++)
        {
            var item = candidates[i];
            if (!exclude.Contains(item.ItemId) && Seen.Add(item.ItemId))
            {
                _filtered[_filteredCount++] = item;
            }
        }

        return new ArraySegment<ScoredItem>(_filtered, start, _filteredCount - start);
    }

    /// <summary>Adds <paramref name="contribution"/> of list <paramref name="list"/> to <paramref name="itemId"/>'s fused score.</summary>
    /// <param name="itemId">Candidate.</param>
    /// <param name="contribution">Its share from this list.</param>
    /// <param name="list">Index of the list (its channel) in the fusion input.</param>
    /// <param name="channels">Channel name of each list index (a list whose channel already proposed the item adds nothing).</param>
    public void Add(long itemId, double contribution, int list, string[] channels)
    {
        ref var slot = ref Slots.GetValueRefOrAddDefault(itemId, out var exists);
        if (!exists)
        {
            slot = Slots.Count - 1;
            Grow(slot + 1);
            _items[slot] = itemId;
            _scores[slot] = contribution;
            _head[slot] = -1;
            AppendChannel(slot, list);
            return;
        }

        var name = channels[list];
        for (var c = _head[slot]; c >= 0; c = _chainNext[c])
        {
            if (string.Equals(channels[_chainList[c]], name, StringComparison.Ordinal))
            {
                return;
            }
        }

        _scores[slot] += contribution;
        AppendChannel(slot, list);
    }

    /// <summary>
    /// The <paramref name="take"/> best slots (fewer when fewer were fused) by fused score, descending, ties by first
    /// appearance; valid until the next <see cref="Rent"/>. Only the answer's items are ordered: a request fuses
    /// about a thousand candidates for tens of answer slots, and sorting them all was a tenth of the merge's time.
    /// </summary>
    public ReadOnlySpan<int> Ranked(int take)
    {
        var count = Count;
        take = Math.Clamp(take, 0, count);
        var order = new ByScore(_scores);
        if (take * 8 >= count)
        {
            var all = _order.AsSpan(0, count);
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            all.Sort(order);
            return all[..take];
        }

        // A heap of the best `take` slots seen so far with the one ranked last at its root.
        var best = _order.AsSpan(0, take);
        for (var i = 0; i < take; i++)
        {
            best[i] = i;
        }

        for (var i = (take / 2) - 1; i >= 0; i--)
        {
            SiftDown(best, i, order);
        }

        for (var slot = take; slot < count; slot++)
        {
            if (order.Compare(slot, best[0]) < 0)
            {
                best[0] = slot;
                SiftDown(best, 0, order);
            }
        }

        best.Sort(order);
        return best;
    }

    /// <summary>Restores the heap below <paramref name="i"/>: a parent never ranks before its children.</summary>
    private static void SiftDown(Span<int> heap, int i, ByScore order)
    {
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= heap.Length)
            {
                return;
            }

            if (child + 1 < heap.Length && order.Compare(heap[child + 1], heap[child]) > 0)
            {
                child++;
            }

            if (order.Compare(heap[child], heap[i]) <= 0)
            {
                return;
            }

            (heap[i], heap[child]) = (heap[child], heap[i]);
            i = child;
        }
    }

    /// <summary>Item id of <paramref name="slot"/>.</summary>
    public long ItemOf(int slot) => _items[slot];

    /// <summary>Fused score of <paramref name="slot"/>.</summary>
    public double ScoreOf(int slot) => _scores[slot];

    /// <summary>The list indices that proposed <paramref name="slot"/>, in the order they did.</summary>
    public int ListsOf(int slot, Span<int> into)
    {
        var n = 0;
        for (var c = _head[slot]; c >= 0 && n < into.Length; c = _chainNext[c])
        {
            into[n++] = _chainList[c];
        }

        return n;
    }

    private void AppendChannel(int slot, int list)
    {
        if (_chainCount == _chainList.Length)
        {
            Array.Resize(ref _chainList, _chainCount * 2);
            Array.Resize(ref _chainNext, _chainCount * 2);
        }

        var link = _chainCount++;
        _chainList[link] = list;
        _chainNext[link] = -1;
        if (_head[slot] < 0)
        {
            _head[slot] = link;
        }
        else
        {
            _chainNext[_tail[slot]] = link;
        }

        _tail[slot] = link;
    }

    private void Grow(int needed)
    {
        if (needed <= _items.Length)
        {
            return;
        }

        var size = Math.Max(needed, _items.Length * 2);
        Array.Resize(ref _items, size);
        Array.Resize(ref _scores, size);
        Array.Resize(ref _head, size);
        Array.Resize(ref _tail, size);
        Array.Resize(ref _order, size);
    }

    private readonly struct ByScore(double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var byScore = scores[y].CompareTo(scores[x]);
            return byScore != 0 ? byScore : x.CompareTo(y);
        }
    }
}
