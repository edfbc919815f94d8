using System.Diagnostics;
using System.Text;

namespace RecFramework.Host.Tests.Cli;

/// <summary>Runs the real Host executable (exit codes and messages as a user's shell sees them).</summary>
internal static class HostExecutable
{
    /// <summary>
    /// Runs <c>RecFramework.Host</c> with <paramref name="args"/> in <paramref name="directory"/>, its exposure log
    /// there and, unless <paramref name="ownStores"/> is false, its event log and artifacts there too; waits up to
    /// two minutes and returns the exit code with standard output and error interleaved.
    /// </summary>
    public static async Task<(int Code, string Output)> RunAsync(string directory, bool ownStores, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RecFramework.Host"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RECFW_RecFramework__ExposureLog__Path"] = Path.Combine(directory, "exposures.jsonl");
        if (ownStores)
        {
            start.Environment["RECFW_RecFramework__Stores__EventsPath"] = Path.Combine(directory, "events.db");
            start.Environment["RECFW_RecFramework__Artifacts__Root"] = Path.Combine(directory, "artifacts");
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
