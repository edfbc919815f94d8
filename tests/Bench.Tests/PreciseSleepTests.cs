using System.Diagnostics;
using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary><see cref="PreciseSleep"/>: the open-loop load generator's wait until each request's scheduled time.</summary>
public sealed class PreciseSleepTests
{
    [Fact]
    public void ItNeverReturnsBeforeTheTimeAndReturnsAtOnceForATimeThatHasPassed()
    {
        for (var i = 0; i < 20; i++)
        {
            var due = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 2000 * (i % 4)); // 0 to 1.5 ms ahead
            PreciseSleep.Until(due);
            Assert.True(Stopwatch.GetTimestamp() >= due);
        }

        var watch = Stopwatch.StartNew();
        PreciseSleep.Until(Stopwatch.GetTimestamp() - Stopwatch.Frequency);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
    }
}
