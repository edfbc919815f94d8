using System.Globalization;

namespace RecFramework.Bench;

/// <summary>
/// The busy-machine guard of the timed benchmarks: the 1-minute load average (/proc/loadavg) read before a measured
/// phase and the share of CPU time stolen by the hypervisor (and spent waiting for I/O) over the phase, from the
/// aggregate "cpu" line of /proc/stat. A phase counts as busy when the load exceeds <see cref="Thresholds.MaxLoadPerCore"/>
/// × cores or the steal share exceeds <see cref="Thresholds.MaxSteal"/>. Parsing and the verdict are pure functions
/// of the /proc text so that they can be tested with fixed samples.
/// </summary>
internal static class MachineLoad
{
    /// <summary>Jiffies of the aggregate "cpu" line: all states summed, and the idle, iowait and steal columns.</summary>
    internal sealed record CpuTimes(long Total, long Idle, long IoWait, long Steal);

    /// <summary>Limits of a quiet machine.</summary>
    /// <param name="MaxLoadPerCore">1-minute load per core above which the machine is busy (0.75).</param>
    /// <param name="MaxSteal">Share of CPU time stolen over the phase above which the machine is busy (0.05).</param>
    internal sealed record Thresholds(double MaxLoadPerCore = 0.75, double MaxSteal = 0.05);

    /// <summary>What the guard saw around one phase.</summary>
    /// <param name="LoadBefore">1-minute load average read before the phase.</param>
    /// <param name="Steal">Stolen share of CPU time over the phase (0..1).</param>
    /// <param name="IoWait">Share of CPU time in iowait over the phase (0..1), reported only.</param>
    /// <param name="Cores">Logical cores.</param>
    internal sealed record PhaseLoad(double LoadBefore, double Steal, double IoWait, int Cores)
    {
        /// <summary>Null when quiet, else the reason naming the figures and the thresholds.</summary>
        public string? BusyReason(Thresholds thresholds)
        {
            var reasons = new List<string>();
            var maxLoad = thresholds.MaxLoadPerCore * Cores;
            if (LoadBefore > maxLoad)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"1-min load {LoadBefore:F2} > {maxLoad:F2} ({Cores} cores × {thresholds.MaxLoadPerCore:F2})"));
            }

            if (Steal > thresholds.MaxSteal)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"CPU steal {Steal:P1} > {thresholds.MaxSteal:P1}"));
            }

            return reasons.Count == 0 ? null : string.Join("; ", reasons);
        }
    }

    /// <summary>The 1-minute load average: the first field of /proc/loadavg ("0.52 0.58 0.59 1/467 12345").</summary>
    public static double ParseLoadAverage(string loadavg)
    {
        ArgumentNullException.ThrowIfNull(loadavg);
        var first = loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) && load >= 0
            ? load
            : throw new FormatException($"/proc/loadavg does not start with a load average: '{loadavg.Trim()}'.");
    }

    /// <summary>
    /// The aggregate line of /proc/stat: "cpu user nice system idle iowait irq softirq steal [guest guest_nice]";
    /// the total sums the first eight columns (guest time is already counted in user). Kernels before 2.6.11 have no
    /// steal column: it reads as 0.
    /// </summary>
    public static CpuTimes ParseCpuTimes(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        foreach (var line in stat.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] != "cpu")
            {
                continue;
            }

            if (fields.Length < 5)
            {
                break;
            }

            var values = new long[8];
            for (var i = 0; i < 8 && i + 1 < fields.Length; i++)
            {
                values[i] = long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new FormatException($"/proc/stat column {i + 1} of the cpu line is not a count: '{fields[i + 1]}'.");
            }

            return new CpuTimes(values.Sum(), values[3], values[4], values[7]);
        }

        throw new FormatException("/proc/stat has no aggregate 'cpu' line.");
    }

    /// <summary>Shares of <paramref name="after"/> − <paramref name="before"/> spent stolen and in iowait (0 when no time passed).</summary>
    public static (double Steal, double IoWait) Shares(CpuTimes before, CpuTimes after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var total = after.Total - before.Total;
        return total <= 0 ? (0, 0) : ((double)(after.Steal - before.Steal) / total, (double)(after.IoWait - before.IoWait) / total);
    }

    /// <summary>True when /proc can be read (Linux).</summary>
    public static bool Available => File.Exists("/proc/loadavg") && File.Exists("/proc/stat");

    /// <summary>The current 1-minute load average.</summary>
    public static double ReadLoadAverage() => ParseLoadAverage(File.ReadAllText("/proc/loadavg"));

    /// <summary>The current aggregate CPU times.</summary>
    public static CpuTimes ReadCpuTimes() => ParseCpuTimes(File.ReadAllText("/proc/stat"));

    /// <summary>
    /// Runs <paramref name="phase"/> and returns its result with the load read before it and the steal / iowait
    /// shares over it. Where /proc is missing the figures are NaN and the phase never counts as busy.
    /// </summary>
    public static async Task<(T Result, PhaseLoad Load)> MeasureAsync<T>(Func<Task<T>> phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        if (!Available)
        {
            return (await phase(), new PhaseLoad(double.NaN, double.NaN, double.NaN, Environment.ProcessorCount));
        }

        var load = ReadLoadAverage();
        var before = ReadCpuTimes();
        var result = await phase();
        var (steal, ioWait) = Shares(before, ReadCpuTimes());
        return (result, new PhaseLoad(load, steal, ioWait, Environment.ProcessorCount));
    }
}
