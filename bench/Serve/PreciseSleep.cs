using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RecFramework.Bench.Serve;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with sub-millisecond precision and without spinning: on Linux
/// through <c>nanosleep</c> (the kernel wakes the thread within its timer slack, 50 µs by default), elsewhere through
/// <see cref="Thread.Sleep(int)"/> in whole milliseconds.
/// </summary>
internal static class PreciseSleep
{
    /// <summary>Returns at or soon after <paramref name="timestamp"/> (at once when it has passed).</summary>
    public static void Until(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var nanoseconds = remaining * (1_000_000_000.0 / Stopwatch.Frequency);
            if (OperatingSystem.IsLinux())
            {
                var request = new Timespec { Seconds = (long)(nanoseconds / 1e9), Nanoseconds = (long)(nanoseconds % 1e9) };
                _ = NanoSleep(ref request, IntPtr.Zero); // interrupted early: the loop sleeps the rest
            }
            else
            {
                Thread.Sleep(Math.Max(1, (int)(nanoseconds / 1e6)));
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int NanoSleep(ref Timespec request, IntPtr remaining);
}
