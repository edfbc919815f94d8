using RecFramework.Diagnostics;

namespace RecFramework.Tests.Diagnostics;

public sealed class BackgroundThreadPriorityTests
{
    [Fact]
    public async Task WorkRunsOnItsOwnThreadAtBackgroundPriorityAndTheCallerKeepsItsOwn()
    {
        // Compared on the caller's own thread before the await: after it the continuation may run on another pool
        // thread, whose nice value depends on which thread created it (Linux threads inherit their creator's).
        var callerNice = BackgroundThreadPriority.CurrentNice();
        var callerThread = Environment.CurrentManagedThreadId;

        var work = BackgroundThreadPriority.RunAsync("test", () => (Environment.CurrentManagedThreadId, BackgroundThreadPriority.CurrentNice()));
        var callerNiceAfterStart = BackgroundThreadPriority.CurrentNice();
        var (thread, nice) = await work;

        Assert.NotEqual(callerThread, thread);
        Assert.Equal(callerNice, callerNiceAfterStart);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(nice >= BackgroundThreadPriority.BackgroundNice, $"background work ran at nice {nice}");
        }
        else
        {
            Assert.Null(nice);
        }
    }

    [Fact]
    public async Task AFailureReachesTheAwaiter()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundThreadPriority.RunAsync<int>("test", () => throw new InvalidOperationException("load failed")));

        Assert.Equal("load failed", e.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void NiceValuesOutsideTheLinuxRangeAreRejected(int nice)
        => Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundThreadPriority.LowerCurrentThread(nice));
}
