using System.Globalization;
using MathNet.Numerics.Statistics;
using RecFramework.Evaluation;

namespace RecFramework.Bench;

/// <summary>
/// <c>bench train</c>'s interleaved comparison with the PyTorch reference (bench/python/two_tower_reference.py):
/// ours, reference, ours, reference… <c>--pairs N</c> times (3 in full mode, 1 with --quick), both with the same
/// epochs (<c>--epochs</c>, 10 in full mode, 3 with --quick) and threads (TwoTowerOptions.Threads, 2 by default).
/// Reports the median of our examples/s, the median of the reference's and the median of the per-pair ratios, every
/// pair's figures, and the machine's load before each run. Before the pairs, each side warms up outside its timed
/// epochs (ours: one untimed 1-epoch training in this process; the reference: <c>--warmup-batches</c> untimed
/// batches in each of its processes); <c>--no-warmup</c> leaves that out. The busy-machine guard
/// (<see cref="MachineLoad"/>; <c>--max-load-per-core</c>, <c>--max-steal</c>, <c>--settle S</c> seconds to wait for
/// the load to fall before each run) fails a full run whose timed phase ran on a busy machine; --quick only warns.
/// </summary>
internal sealed partial class TrainBenchmark
{
    private readonly List<string> _failures = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures) => _failures;

    private async Task<IReadOnlyDictionary<string, double>> CompareAsync(BenchContext context, string dataDir, DatasetSplit split, Dictionary<string, string> parameters, bool inner, CancellationToken cancellationToken)
    {
        var pairs = IntOption(context, "--pairs", context.Quick ? 1 : 3);
        var epochs = IntOption(context, "--epochs", context.Quick ? 3 : 10);
        parameters["epochs"] = epochs.ToString(CultureInfo.InvariantCulture);
        // No early stopping, no refit: the timed epochs are then exactly --epochs over the examples the reference trains on (with the
        // refit, the reported throughput would be the refit's, over the best epoch count on every positive).
        parameters["refit"] = "false";
        parameters["patience"] = "0";
        var threads = parameters.TryGetValue("threads", out var t) ? int.Parse(t, CultureInfo.InvariantCulture) : new Channels.TwoTower.TwoTowerOptions().Threads;
        var thresholds = new MachineLoad.Thresholds(DoubleOption(context, "--max-load-per-core", 0.75), DoubleOption(context, "--max-steal", 0.05));
        var settle = TimeSpan.FromSeconds(IntOption(context, "--settle", context.Quick ? 0 : 60));
        var warmup = !context.Arguments.Contains("--no-warmup");

        var (python, reason) = ReferenceUnusable(parameters, inner) is { } refusal ? (null, refusal) : TorchReference.FindPython();
        if (python is null)
        {
            Console.WriteLine($"PyTorch reference not run: {reason}.");
            if (!context.Quick)
            {
                _failures.Add($"the PyTorch reference could not run ({reason}); ratio_vs_reference needs it");
            }
        }
        else
        {
            Console.WriteLine($"PyTorch reference: {python} ({reason}), {pairs} interleaved pair(s) of {epochs} epoch(s), {threads} thread(s).");
        }

        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        if (warmup)
        {
            // JIT, libtorch's first-operation set-up and the pages of its code: paid here, not in the first timed pair.
            var warm = new Dictionary<string, string>(parameters) { ["epochs"] = "1" };
            var jit = JitMark.Now();
            await RunConfigurationAsync(split, warm, 1, cancellationToken);
            jit.Record(figures, "warmup.");
        }

        var ours = new List<double>();
        var reference = new List<double>();
        var ratios = new List<double>();
        for (var p = 1; p <= pairs; p++)
        {
            await SettleAsync(thresholds, settle, cancellationToken);
            var jitMark = JitMark.Now();
            var (run, load) = await MachineLoad.MeasureAsync(() => RunConfigurationAsync(split, parameters, 1, cancellationToken));
            jitMark.Record(figures, $"pair{p}.");
            Guard(context, $"pair {p} ours", load, thresholds);
            ours.Add(run["examples_per_s"]);
            Record(figures, $"pair{p}.", load);
            figures[$"pair{p}.examples_per_s"] = run["examples_per_s"];
            foreach (var (key, value) in run)
            {
                // Quality and memory: the last run's figures.
                figures[key] = value;
            }

            if (python is null)
            {
                continue;
            }

            await SettleAsync(thresholds, settle, cancellationToken);
            var (theirs, referenceLoad) = await MachineLoad.MeasureAsync(() => Task.Run(() => TorchReference.Train(python, dataDir, epochs, threads, 42 + p, warmup ? 20 : 0), cancellationToken));
            Guard(context, $"pair {p} reference", referenceLoad, thresholds);
            Record(figures, $"pair{p}.reference_", referenceLoad);
            reference.Add(theirs["examples_per_s"]);
            ratios.Add(ours[^1] / theirs["examples_per_s"]);
            figures[$"pair{p}.reference_examples_per_s"] = theirs["examples_per_s"];
            figures[$"pair{p}.ratio"] = ratios[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pair {p}: ours {ours[^1]:F0} ex/s (load {load.LoadBefore:F2}), reference {theirs["examples_per_s"]:F0} ex/s (load {referenceLoad.LoadBefore:F2}), ratio {ratios[^1]:F3}"));
        }

        figures["examples_per_s"] = ours.Median();
        figures["pairs"] = pairs;
        if (python is not null)
        {
            figures["reference_examples_per_s"] = reference.Median();
            figures["ratio_vs_reference"] = ratios.Median();
        }

        return figures;
    }

    /// <summary>Why the reference cannot stand for this configuration (it mirrors the defaults on the outer split), or null.</summary>
    private static string? ReferenceUnusable(Dictionary<string, string> parameters, bool inner)
    {
        var changed = parameters.Keys.Where(k => k is not ("epochs" or "threads" or "refit" or "patience")).Order(StringComparer.Ordinal).ToList();
        return inner ? "--inner trains on a split the reference does not make"
            : changed.Count > 0 ? $"--set {string.Join(", ", changed)} changes the model from the defaults the reference mirrors"
            : null;
    }

    private void Guard(BenchContext context, string phase, MachineLoad.PhaseLoad load, MachineLoad.Thresholds thresholds)
    {
        if (load.BusyReason(thresholds) is not { } reason)
        {
            return;
        }

        if (context.Quick)
        {
            Console.Error.WriteLine($"train: warning: {phase} ran on a busy machine ({reason}); its figures are noise.");
        }
        else
        {
            _failures.Add($"{phase} ran on a busy machine: {reason} (thresholds: --max-load-per-core, --max-steal)");
        }
    }

    private static void Record(Dictionary<string, double> figures, string prefix, MachineLoad.PhaseLoad load)
    {
        figures[prefix + "load_before"] = load.LoadBefore;
        figures[prefix + "steal"] = load.Steal;
        figures[prefix + "iowait"] = load.IoWait;
    }

    /// <summary>Waits (up to <paramref name="settle"/>) for the 1-minute load to fall under the threshold, e.g. after our own previous run.</summary>
    private static async Task SettleAsync(MachineLoad.Thresholds thresholds, TimeSpan settle, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settle;
        while (MachineLoad.Available && DateTime.UtcNow < deadline && MachineLoad.ReadLoadAverage() > thresholds.MaxLoadPerCore * Environment.ProcessorCount)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    /// <summary>The JIT's cumulative compilation time and method count, to show what a run compiled (its first-run cost).</summary>
    private readonly record struct JitMark(TimeSpan Time, long Methods)
    {
        public static JitMark Now() => new(System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());

        public void Record(Dictionary<string, double> figures, string prefix)
        {
            var now = Now();
            figures[prefix + "jit_ms"] = (now.Time - Time).TotalMilliseconds;
            figures[prefix + "jit_methods"] = now.Methods - Methods;
        }
    }


    private static int IntOption(BenchContext context, string name, int fallback)
        => context.Option(name) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException($"{name} expects a non-negative integer, got '{text}'.")
            : fallback;

    private static double DoubleOption(BenchContext context, string name, double fallback)
        => context.Option(name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException($"{name} expects a non-negative number, got '{text}'.")
            : fallback;
}
