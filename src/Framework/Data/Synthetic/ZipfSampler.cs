namespace RecFramework.Data.Synthetic;

/// <summary>
/// Samples positions 0..n−1 of several segments with weight ∝ 1 / (position + 1)^s inside each segment, by binary
/// search over per-segment cumulative weights.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;
    private readonly int[] _offsets;

    /// <param name="segmentLengths">Length of each segment.</param>
    /// <param name="exponent">Zipf exponent s ≥ 0 (0 = uniform).</param>
    public ZipfSampler(IReadOnlyList<int> segmentLengths, double exponent)
    {
        _offsets = new int[segmentLengths.Count + 1];
        for (var s = 0; s < segmentLengths.Count; s++)
        {
            _offsets[s + 1] = _offsets[s] + segmentLengths[s];
        }

        _cumulative = new double[_offsets[^1]];
        for (var s = 0; s < segmentLengths.Count; s++)
        {
            double total = 0;
            for (var p = 0; p < segmentLengths[s]; p++)
            {
                total += Math.Pow(p + 1, -exponent);
                _cumulative[_offsets[s] + p] = total;
            }
        }
    }

    /// <summary>Length of segment <paramref name="segment"/>.</summary>
    public int Length(int segment) => _offsets[segment + 1] - _offsets[segment];

    /// <summary>Global index (segment offset + position) of a position drawn in <paramref name="segment"/>; −1 when it is empty.</summary>
    public int Sample(int segment, ref SyntheticRandom rng)
    {
        int lo = _offsets[segment], hi = _offsets[segment + 1];
        if (lo == hi)
        {
            return -1;
        }

        var target = rng.NextDouble() * _cumulative[hi - 1];
        var found = Array.BinarySearch(_cumulative, lo, hi - lo, target);
        var index = found >= 0 ? found + 1 : ~found;
        return Math.Min(index, hi - 1);
    }
}
