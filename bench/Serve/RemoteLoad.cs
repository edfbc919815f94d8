using System.Diagnostics;
using System.Globalization;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Open-loop load from a separate process: the benchmark's own executable started in <see cref="Mode"/>. In the
/// service's process, the generator's dispatch loop and its HTTP continuations would queue on the service's thread
/// pool and its garbage would be collected in the service's pauses, so the latency measured would include the
/// generator waiting for itself; a real client (or wrk2) is a process of its own. Both still share the two cores.
/// The child warms up (JIT, connections), prints <c>started</c>, runs the schedule and writes its <see cref="LatencyLog"/>
/// with the CPU it used meanwhile (so the benchmark can tell other processes' CPU from its own).
/// </summary>
internal static class RemoteLoad
{
    /// <summary>First argument that starts the executable as a load generator.</summary>
    public const string Mode = "serve-load";

    /// <summary>
    /// Runs <paramref name="rps"/> for <paramref name="duration"/> from a child process; <paramref name="started"/> is
    /// called and <paramref name="during"/> started when its schedule begins.
    /// </summary>
    public static async Task<(double AchievedRps, LatencyLog Log, double GeneratorCpuMs, LatencyLog DispatchLags, int ConnectionsOpened)> RunAsync(Uri address, int users, int k, int seed, double rps, TimeSpan duration, int connections, Action started, Func<Task>? during, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Path.GetTempPath(), $"recfw-load-{Environment.ProcessId}-{seed}-{Guid.NewGuid():N}.bin");
        var start = OwnExecutable([Mode, address.ToString(), I(users), I(k), I(seed), rps.ToString("R", CultureInfo.InvariantCulture), duration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture), I(connections), output]);
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the load generator {start.FileName}.");
        try
        {
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync(cancellationToken)) is not null && line != "started")
            {
            }

            if (line is null)
            {
                await child.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"The load generator exited with code {child.ExitCode} before starting.");
            }

            started();
            var side = during?.Invoke() ?? Task.CompletedTask;
            await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            await side;
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"The load generator exited with code {child.ExitCode}.");
            }

            using var reader = new BinaryReader(File.OpenRead(output));
            var achieved = reader.ReadDouble();
            var cpuMs = reader.ReadDouble();
            var log = LatencyLog.ReadFrom(reader);
            var lags = LatencyLog.ReadFrom(reader);
            return (achieved, log, cpuMs, lags, reader.ReadInt32());
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            File.Delete(output);
        }
    }

    /// <summary>The child: <c>serve-load ADDRESS USERS K SEED RPS SECONDS CONNECTIONS OUTPUT</c>.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 9)
        {
            Console.Error.WriteLine($"usage: {Mode} ADDRESS USERS K SEED RPS SECONDS CONNECTIONS OUTPUT (got {args.Count} arguments)");
            return 2;
        }

        var address = new Uri(args[1]);
        var users = int.Parse(args[2], CultureInfo.InvariantCulture);
        var k = int.Parse(args[3], CultureInfo.InvariantCulture);
        var seed = int.Parse(args[4], CultureInfo.InvariantCulture);
        var rps = double.Parse(args[5], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(args[6], CultureInfo.InvariantCulture));
        var connections = int.Parse(args[7], CultureInfo.InvariantCulture);
        using var load = new LoadGenerator(address, users, k, seed, connections);
        await load.ClosedLoopAsync(4, TimeSpan.FromSeconds(2), CancellationToken.None); // JIT and connections
        Console.WriteLine("started");
        Console.Out.Flush();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var (achieved, log) = await load.OpenLoopAsync(rps, duration, null, CancellationToken.None);
        self.Refresh();
        await using (var writer = new BinaryWriter(File.Create(args[8])))
        {
            writer.Write(achieved);
            writer.Write((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            log.WriteTo(writer);
            (load.DispatchLags ?? new LatencyLog(1)).WriteTo(writer);
            writer.Write(load.ConnectionsOpened);
        }

        return 0;
    }

    /// <summary>This benchmark's executable with <paramref name="args"/> (through <c>dotnet</c> when it was started that way).</summary>
    public static ProcessStartInfo OwnExecutable(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.")) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(start.FileName), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(RemoteLoad).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
