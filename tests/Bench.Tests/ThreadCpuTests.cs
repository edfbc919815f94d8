using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary><see cref="ThreadCpu"/>: the service's CPU by thread name in <c>bench serve</c>.</summary>
public sealed class ThreadCpuTests
{
    [Fact]
    public void AStatLineGivesTheNameAndUserPlusSystemTicksEvenWithSpacesAndParenthesesInTheName()
    {
        const string line = "4242 (.NET TP (x) 1) S 1 4242 4242 0 -1 4194368 120 0 0 0 37 5 0 0 20 0 30 0 1234 0 0";
        Assert.Equal((".NET TP (x) 1", 42L), ThreadCpu.Parse(line));
        Assert.Null(ThreadCpu.Parse("4242 (short) S 1 2"));
        Assert.Null(ThreadCpu.Parse("no name here"));
    }

    [Theory]
    [InlineData(".NET TP Worker", "dotnet_tp_worker")]
    [InlineData(".NET BGC", "dotnet_bgc")]
    [InlineData("onnx-worker-12", "onnx_worker")]
    [InlineData("dotnet", "dotnet")]
    [InlineData("1234", "unnamed")]
    public void ThreadsAreGroupedByNameWithoutTheirNumbers(string name, string group) => Assert.Equal(group, ThreadCpu.Group(name));

    [Fact]
    public void TheDeltaSumsEachGroupAndCountsNewThreadsFromZeroAndAReusedIdAsNew()
    {
        var before = new Dictionary<int, (string, long)> { [1] = (".NET TP Worker", 100), [2] = (".NET TP Worker", 50), [3] = ("old", 500) };
        var after = new Dictionary<int, (string, long)> { [1] = (".NET TP Worker", 130), [2] = (".NET TP Worker", 60), [4] = (".NET BGC", 7), [3] = ("reused", 9) };
        var delta = ThreadCpu.Delta(before, after, ticksPerSecond: 100);
        Assert.Equal([("dotnet_tp_worker", 400.0), ("reused", 90.0), ("dotnet_bgc", 70.0)], delta);
    }

    [Fact]
    public void ThisProcessesBusyThreadIsSeenUnderItsName()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = ThreadCpu.Read();
        using var busy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            // Spin until the kernel has counted 50 ms of this thread's CPU (at most 20 s on a starved machine).
            var until = DateTime.UtcNow.AddSeconds(20);
            var x = 0.0;
            while (DateTime.UtcNow < until && (ThreadCpu.Parse(File.ReadAllText("/proc/thread-self/stat"))?.Ticks ?? 0) < 5)
            {
                for (var i = 0; i < 100_000; i++)
                {
                    x += Math.Sqrt(x + i);
                }
            }

            GC.KeepAlive(x);
            busy.Set();
            release.Wait(); // still alive at the second reading
        }) { Name = "cpu-probe" };
        thread.Start();
        busy.Wait();
        var after = ThreadCpu.Read();
        release.Set();
        thread.Join();
        var probe = ThreadCpu.Delta(before, after, 100).Single(t => t.Group == "cpu_probe");
        Assert.InRange(probe.CpuMs, 50, 20_000);
    }
}
