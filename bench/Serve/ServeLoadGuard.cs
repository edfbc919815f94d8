using System.Globalization;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Whether the machine was quiet enough for <c>serve</c>'s figures to mean anything (Linux <c>/proc</c>; elsewhere
/// nothing is ever found busy). Two readings: the 1-minute load average just before a repeat's measured phases (after
/// waiting up to <see cref="SettleSeconds"/> for it to fall, since the previous repeat's own load and the model build
/// linger in it), and, over each measured phase, the share of CPU the hypervisor stole and the share other processes
/// used (the machine's busy ticks minus the service's and the load generator's CPU). In full mode a busy reading fails
/// the benchmark; in quick mode (CI on shared cores) it is printed as a warning.
/// </summary>
internal sealed class ServeLoadGuard
{
    private readonly List<string> _busy = [];

    /// <summary>Creates the guard from <c>--max-load X --max-steal-percent P --max-foreign-cpu-percent P --settle-s S</c>.</summary>
    public ServeLoadGuard(BenchContext context)
    {
        Strict = !context.Quick;
        MaxLoad = Double(context, "--max-load", Environment.ProcessorCount * 0.75);
        MaxStealPercent = Double(context, "--max-steal-percent", 5);
        MaxForeignCpuPercent = Double(context, "--max-foreign-cpu-percent", 25);
        SettleSeconds = Double(context, "--settle-s", context.Quick ? 0 : 180);
    }

    /// <summary>Full mode: a busy machine fails the benchmark.</summary>
    public bool Strict { get; }

    /// <summary>Highest 1-minute load average before a repeat (default: cores × 0.75).</summary>
    public double MaxLoad { get; }

    /// <summary>Highest share of CPU stolen by the hypervisor during a measured phase, in percent (default 5).</summary>
    public double MaxStealPercent { get; }

    /// <summary>Highest share of all cores used by other processes during a measured phase, in percent (default 25).</summary>
    public double MaxForeignCpuPercent { get; }

    /// <summary>How long to wait for the load average to fall before a repeat (full 180 s, quick 0).</summary>
    public double SettleSeconds { get; }

    /// <summary>Every busy reading so far, each naming the figure, its value and the threshold.</summary>
    public IReadOnlyList<string> Busy => _busy;

    /// <summary>Waits (up to <see cref="SettleSeconds"/>) for the load average to fall under <see cref="MaxLoad"/>; returns the last reading.</summary>
    public async Task<double> SettleAsync(string phase, CancellationToken cancellationToken)
    {
        var load = LoadAverage();
        var waited = 0.0;
        while (load > MaxLoad && waited < SettleSeconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            waited += 5;
            load = LoadAverage();
        }

        if (waited > 0)
        {
            Console.WriteLine($"{phase}: waited {waited:F0} s for the 1-minute load average to fall (now {load:F2}, limit {MaxLoad:F2})");
        }

        Check(load > MaxLoad, $"{phase}: 1-minute load average {load:F2} above {MaxLoad:F2} (--max-load; cores {Environment.ProcessorCount} x 0.75) before the measured phases");
        return load;
    }

    /// <summary>Records the phase's steal and other processes' CPU share (NaN: not measured).</summary>
    public void CheckPhase(string phase, double stealPercent, double foreignCpuPercent)
    {
        Check(stealPercent > MaxStealPercent, $"{phase}: CPU steal {stealPercent:F1} % above {MaxStealPercent:F1} % (--max-steal-percent)");
        Check(foreignCpuPercent > MaxForeignCpuPercent, $"{phase}: other processes used {foreignCpuPercent:F1} % of the cores, above {MaxForeignCpuPercent:F1} % (--max-foreign-cpu-percent)");
    }

    /// <summary>The machine's CPU ticks: busy (everything but idle and iowait), stolen and all (zeros without <c>/proc/stat</c>).</summary>
    public static (long Busy, long Steal, long Total) Ticks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            if (fields.Length != 8)
            {
                return (0, 0, 0);
            }

            var total = fields.Sum();
            return (total - fields[3] - fields[4] - fields[7], fields[7], total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (0, 0, 0);
        }
    }

    /// <summary>Clock ticks per second of <c>/proc/stat</c> (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The 1-minute load average (-1 without <c>/proc/loadavg</c>).</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private void Check(bool busy, string message)
    {
        if (busy)
        {
            _busy.Add(message);
            Console.Error.WriteLine((Strict ? "serve: BUSY MACHINE: " : "serve: warning (quick mode, not failing): busy machine: ") + message);
        }
    }

    private static double Double(BenchContext context, string name, double fallback) =>
        context.Option(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
