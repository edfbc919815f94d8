using Microsoft.Extensions.Time.Testing;
using RecFramework.Pipeline;

namespace RecFramework.Tests.Pipeline;

/// <summary><see cref="ChannelDeadlines"/>: one token per distinct channel timeout, on the pipeline's clock.</summary>
public sealed class ChannelDeadlinesTests
{
    [Fact]
    public void ChannelsWithTheSameTimeoutShareATokenThatFiresAtItsTimeoutOnly()
    {
        var time = new FakeTimeProvider();
        using var request = new CancellationTokenSource();
        using var deadlines = new ChannelDeadlines(time, request.Token);

        var fast = deadlines.For(TimeSpan.FromMilliseconds(50));
        var slow = deadlines.For(TimeSpan.FromMilliseconds(200));

        Assert.Equal(fast, deadlines.For(TimeSpan.FromMilliseconds(50)));
        Assert.NotEqual(fast, slow);
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(fast.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(fast.IsCancellationRequested);
        Assert.False(slow.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.True(slow.IsCancellationRequested);
    }

    [Fact]
    public void TheRequestsDeadlineCancelsEveryChannelsToken()
    {
        using var request = new CancellationTokenSource();
        using var deadlines = new ChannelDeadlines(new FakeTimeProvider(), request.Token);
        var tokens = new[] { 10, 50, 200 }.Select(ms => deadlines.For(TimeSpan.FromMilliseconds(ms))).ToArray();

        request.Cancel();

        Assert.All(tokens, t => Assert.True(t.IsCancellationRequested));
    }
}
