using System.Diagnostics;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Where a training step's time goes, from five timestamps per batch (a few nanoseconds each): <c>prepare</c> (batch
/// indices and input tensors), <c>forward</c> (both towers), <c>loss</c> (logits, logQ, loss), <c>backward</c> (zeroing
/// and backward), <c>step</c> (optimiser updates) and <c>other</c> (the rest of each epoch: the loss read-back,
/// releasing the batch's tensors, shuffling, progress). Published as <c>train_phase_s_*</c> manifest metrics.
/// </summary>
internal sealed class PhaseClock
{
    private long _prepare;
    private long _forward;
    private long _loss;
    private long _backward;
    private long _step;
    private double _epochs;

    public void Add(long start, long prepared, long forwarded, long lossed, long backwarded, long stepped)
    {
        _prepare += prepared - start;
        _forward += forwarded - prepared;
        _loss += lossed - forwarded;
        _backward += backwarded - lossed;
        _step += stepped - backwarded;
    }

    public void AddEpoch(TimeSpan elapsed) => _epochs += elapsed.TotalSeconds;

    public Dictionary<string, double> Seconds()
    {
        static double S(long ticks) => (double)ticks / Stopwatch.Frequency;
        var measured = S(_prepare) + S(_forward) + S(_loss) + S(_backward) + S(_step);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["prepare"] = S(_prepare),
            ["forward"] = S(_forward),
            ["loss"] = S(_loss),
            ["backward"] = S(_backward),
            ["step"] = S(_step),
            ["other"] = Math.Max(0, _epochs - measured),
        };
    }
}
