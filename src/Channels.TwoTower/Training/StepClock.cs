using System.Diagnostics;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Wall-clock seconds of the named steps around the training epochs (reading the data, extending the encoders,
/// building the training set and the model, the warm start, the trainer's set-up): each <see cref="Lap"/> charges the
/// time since the previous one to its step. Published as <c>prepare_s_*</c> manifest metrics.
/// </summary>
internal sealed class StepClock
{
    private readonly Dictionary<string, double> _seconds = new(StringComparer.Ordinal);
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the previous lap (or the clock's creation) to <paramref name="step"/>.</summary>
    public void Lap(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _seconds[step] = _seconds.GetValueOrDefault(step) + Stopwatch.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
    }

    /// <summary>Restarts the lap without charging the time since the previous one to any step.</summary>
    public void Skip() => _last = Stopwatch.GetTimestamp();

    /// <summary>The steps' seconds, merged with <paramref name="more"/> (same names add up).</summary>
    public Dictionary<string, double> Seconds(IReadOnlyDictionary<string, double>? more = null) => Sum(_seconds, more ?? new Dictionary<string, double>());

    /// <summary>Both sets of steps; a step in both gets the sum of its seconds.</summary>
    public static Dictionary<string, double> Sum(IReadOnlyDictionary<string, double> first, IReadOnlyDictionary<string, double> second)
    {
        var result = new Dictionary<string, double>(first, StringComparer.Ordinal);
        foreach (var (step, seconds) in second)
        {
            result[step] = result.GetValueOrDefault(step) + seconds;
        }

        return result;
    }
}
