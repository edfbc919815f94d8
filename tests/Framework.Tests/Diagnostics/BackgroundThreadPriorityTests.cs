using RecFramework.Diagnostics;

namespace RecFramework.Tests.Diagnostics;

public sealed class BackgroundThreadPriorityTests
{
    [Fact]
    public async Task WorkRunsOnItsOwnThreadAtBackgroundPriorityAndTheCallerKeepsItsOwn()
    {
        var callerNice = BackgroundThreadPriority.CurrentNice();
        var callerThread = Environment.CurrentManagedThreadId;

        var (thread, nice) = await BackgroundThreadPriority.RunAsync("test", () => (Environment.CurrentManagedThreadId, BackgroundThreadPriority.CurrentNice()));

        Assert.NotEqual(callerThread, thread);
        Assert.Equal(callerNice, BackgroundThreadPriority.CurrentNice());
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
