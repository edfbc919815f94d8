using System.IO.Hashing;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Streaming item-frequency estimation (Yi et al., "Sampling-bias-corrected neural modeling for large corpus item
/// recommendations", RecSys 2019): two hash arrays hold, per slot, the time an item was last seen (A) and an
/// exponential moving estimate of the gap between its occurrences (B): B ← (1 − α) B + α (t − A), A ← t, and the
/// estimated probability is 1 / B. Time is counted in <b>examples</b>, not batches (the paper's step): the estimate
/// is then the per-example sampling probability p_j that the logQ correction needs, and it does not saturate at 1
/// for items present in most batches (with a small catalogue and batches of 512 the popular items are, and a
/// per-batch estimate undercorrects exactly them). Not thread-safe (the trainer updates it once per batch).
/// </summary>
internal sealed class StreamingFrequencyEstimator
{
    private readonly long[] _lastStep;
    private readonly double[] _gap;
    private readonly double _alpha;
    private long _step;

    public StreamingFrequencyEstimator(int slots, double learningRate)
    {
        if (slots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "Need at least one slot.");
        }

        if (learningRate is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Learning rate must be in (0, 1].");
        }

        _lastStep = new long[slots];
        _gap = new double[slots];
        _alpha = learningRate;
    }

    /// <summary>Examples seen.</summary>
    public long Step => _step;

    /// <summary>Records one batch: every occurrence of an item, in order, advances time by one example.</summary>
    public void Update(ReadOnlySpan<long> items)
    {
        foreach (var item in items)
        {
            _step++;
            var slot = SlotOf(item);
            if (_lastStep[slot] == 0)
            {
                // First sighting: initialise the gap with the time elapsed so far.
                _gap[slot] = _step;
            }
            else
            {
                _gap[slot] = ((1 - _alpha) * _gap[slot]) + (_alpha * (_step - _lastStep[slot]));
            }

            _lastStep[slot] = _step;
        }
    }

    /// <summary>Estimated probability that an example is <paramref name="item"/> (1 / gap; 1 / time for unseen items).</summary>
    public double Probability(long item)
    {
        var slot = SlotOf(item);
        var gap = _gap[slot];
        return gap > 0 ? Math.Min(1.0, 1.0 / gap) : 1.0 / Math.Max(1, _step);
    }

    private int SlotOf(long item) => (int)(XxHash3.HashToUInt64(BitConverter.GetBytes(item)) % (ulong)_lastStep.Length);
}
