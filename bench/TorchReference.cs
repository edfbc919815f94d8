using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RecFramework.Bench;

/// <summary>
/// Runs our PyTorch references with the first python3 that imports torch (/usr/bin/python3, Debian's python3-torch,
/// then python3 on PATH): bench/python/two_tower_reference.py (the default two-tower training, <c>bench train</c>) and
/// two_tower_scale_reference.py (the full update at catalogue scale, <c>bench train-scale --pairs N</c>).
/// </summary>
internal static class TorchReference
{
    private static readonly string[] Candidates = ["/usr/bin/python3", "python3"];

    /// <summary>The default model's reference next to the bench executable (copied at build).</summary>
    public static string ScriptPath => Script("two_tower_reference.py");

    /// <summary>The catalogue-scale full update's reference.</summary>
    public static string ScaleScriptPath => Script("two_tower_scale_reference.py");

    /// <summary>A python executable that imports torch, or null with the reason none was found.</summary>
    public static (string? Python, string Reason) FindPython()
    {
        if (!File.Exists(ScriptPath))
        {
            return (null, $"the reference script {ScriptPath} is missing");
        }

        var tried = new List<string>();
        foreach (var candidate in Candidates)
        {
            var (code, output) = Run(candidate, ["-c", "import torch; print(torch.__version__)"], TimeSpan.FromSeconds(120));
            if (code == 0)
            {
                return (candidate, "torch " + output.Trim());
            }

            tried.Add($"{candidate}: {(code is null ? "not runnable" : "no torch")}");
        }

        return (null, "no python3 with torch (" + string.Join(", ", tried) + ")");
    }

    /// <summary>Runs the reference; returns its examples/s over the timed epochs and every figure it printed.</summary>
    public static Dictionary<string, double> Train(string python, string dataDir, int epochs, int threads, int seed, int warmupBatches)
    {
        string[] arguments =
        [
            ScriptPath, "--data", dataDir, "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--warmup-batches", warmupBatches.ToString(CultureInfo.InvariantCulture),
        ];
        return RunScript(python, arguments);
    }

    /// <summary>Runs the scale reference on a folder written by <see cref="NpyFolder.Write"/>; returns every figure it printed.</summary>
    public static Dictionary<string, double> TrainScale(string python, string dataDir, int threads, int seed) =>
        RunScript(python, [ScaleScriptPath, "--data", dataDir, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)]);

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);

    private static Dictionary<string, double> RunScript(string python, string[] arguments)
    {
        var (code, output) = Run(python, arguments, TimeSpan.FromHours(2));
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (code != 0 || last is null || !last.StartsWith('{'))
        {
            throw new InvalidOperationException($"The PyTorch reference failed (exit {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}): {output.Trim()}");
        }

        using var json = JsonDocument.Parse(last);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number)
            {
                figures[property.Name] = property.Value.GetDouble();
            }
            else if (property.Value.ValueKind == JsonValueKind.Array && property.Name == "epoch_s")
            {
                var e = 0;
                foreach (var seconds in property.Value.EnumerateArray())
                {
                    figures[$"epoch{++e}_s"] = seconds.GetDouble();
                }
            }
        }

        return figures;
    }

    private static (int? Code, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"timed out after {timeout}");
            }

            return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, $"{file} cannot be started");
        }
    }
}
