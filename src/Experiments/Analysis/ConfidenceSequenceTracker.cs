namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Keeps the running intersection of a confidence sequence and the running minimum of its always-valid p-value over
/// successive looks (Johari et al. 2022, section 4): both stay valid and are never wider (larger) than the latest look.
/// Not thread-safe; one per experiment, variant and metric.
/// </summary>
public sealed class ConfidenceSequenceTracker
{
    /// <summary>Looks observed.</summary>
    public int Looks { get; private set; }

    /// <summary>Largest lower bound so far (−∞ before the first look).</summary>
    public double Low { get; private set; } = double.NegativeInfinity;

    /// <summary>Smallest upper bound so far (+∞ before the first look).</summary>
    public double High { get; private set; } = double.PositiveInfinity;

    /// <summary>Smallest p-value so far (1 before the first look).</summary>
    public double PValue { get; private set; } = 1;

    /// <summary>Adds a look and returns the running interval.</summary>
    public AnytimeInterval Observe(AnytimeInterval look)
    {
        ArgumentNullException.ThrowIfNull(look);
        Looks++;
        Low = Math.Max(Low, look.Low);
        High = Math.Min(High, look.High);
        PValue = Math.Min(PValue, look.PValue);
        return look with { Low = Low, High = High, PValue = PValue };
    }
}
