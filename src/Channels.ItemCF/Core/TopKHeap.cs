namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Keeps the <c>k</c> best (position, score) pairs seen: higher score first, ties broken by the smaller position so
/// results are deterministic. A bounded min-heap: O(log k) per accepted offer, O(1) per rejected one. Reusable
/// (call <see cref="Reset"/>); not thread-safe.
/// </summary>
internal sealed class TopKHeap
{
    private int[] _ids;
    private float[] _scores;
    private int _count;
    private int _capacity;

    /// <summary>Creates a heap for up to <paramref name="capacity"/> entries.</summary>
    public TopKHeap(int capacity)
    {
        _ids = new int[Math.Max(1, capacity)];
        _scores = new float[Math.Max(1, capacity)];
        _capacity = capacity;
    }

    /// <summary>Entries held.</summary>
    public int Count => _count;

    /// <summary>Empties the heap and sets its capacity (grows the buffers when needed).</summary>
    public void Reset(int capacity)
    {
        if (capacity > _ids.Length)
        {
            _ids = new int[capacity];
            _scores = new float[capacity];
        }

        _capacity = capacity;
        _count = 0;
    }

    /// <summary>Offers a candidate.</summary>
    public void Offer(int id, float score)
    {
        if (_count < _capacity)
        {
            var i = _count++;
            _ids[i] = id;
            _scores[i] = score;
            SiftUp(i);
        }
        else if (_capacity > 0 && Better(id, score, _ids[0], _scores[0]))
        {
            _ids[0] = id;
            _scores[0] = score;
            SiftDown(0);
        }
    }

    /// <summary>Writes the entries best first into the spans (length ≥ <see cref="Count"/>) and empties the heap.</summary>
    /// <returns>The number of entries written.</returns>
    public int Drain(Span<int> ids, Span<float> scores)
    {
        var n = _count;
        for (var i = n - 1; i >= 0; i--)
        {
            ids[i] = _ids[0];
            scores[i] = _scores[0];
            _count--;
            if (_count > 0)
            {
                _ids[0] = _ids[_count];
                _scores[0] = _scores[_count];
                SiftDown(0);
            }
        }

        return n;
    }

    /// <summary>True when (a, sa) ranks before (b, sb).</summary>
    private static bool Better(int a, float sa, int b, float sb) => sa > sb || (sa == sb && a < b);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Better(_ids[parent], _scores[parent], _ids[i], _scores[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < _count && Better(_ids[worst], _scores[worst], _ids[right], _scores[right]))
            {
                worst = right;
            }

            if (!Better(_ids[i], _scores[i], _ids[worst], _scores[worst]))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_ids[a], _ids[b]) = (_ids[b], _ids[a]);
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
    }
}
