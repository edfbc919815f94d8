using RecFramework.Channels;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

/// <summary>
/// <see cref="ChannelCall"/>, how the pipeline runs a channel: on a pool thread, with its answer or failure, and
/// abandoned the moment its token is cancelled even when the channel ignores the token.
/// </summary>
public sealed class ChannelCallTests
{
    private static readonly RecallRequest Request = new() { UserId = 7, K = 3 };

    [Fact]
    public async Task ASynchronousChannelRunsOnAPoolThreadAndAnswers()
    {
        int? thread = null;
        var channel = new FakeRecallChannel("sync", (_, _) =>
        {
            thread = Environment.CurrentManagedThreadId;
            Assert.True(Thread.CurrentThread.IsThreadPoolThread);
            return ValueTask.FromResult(new RecallResult([new ScoredItem(5, 1)]));
        });

        var answer = await ChannelCall.Start(channel, Request, CancellationToken.None);

        Assert.Equal(5L, Assert.Single(answer.Items).ItemId);
        Assert.NotNull(thread);
        Assert.Equal(1, channel.Calls);
    }

    [Fact]
    public async Task TheCallersAsyncLocalStateReachesTheChannel()
    {
        // Logging scopes and the current activity are async-local: a channel must see the request's.
        var local = new AsyncLocal<string>();
        string? seen = null;
        var channel = new FakeRecallChannel("context", (_, _) =>
        {
            seen = local.Value;
            return ValueTask.FromResult(new RecallResult([]));
        });

        local.Value = "request 42";
        await ChannelCall.Start(channel, Request, CancellationToken.None);

        Assert.Equal("request 42", seen);
    }

    [Fact]
    public async Task AnAsynchronousAnswerAndBothKindsOfFailureReachTheCaller()
    {
        var later = new FakeRecallChannel("async", async (_, token) =>
        {
            await Task.Delay(20, token);
            return new RecallResult([new ScoredItem(9, 1)]);
        });
        Assert.Equal(9L, Assert.Single((await ChannelCall.Start(later, Request, CancellationToken.None)).Items).ItemId);

        var throwsAtOnce = new FakeRecallChannel("sync-error", (_, _) => throw new InvalidOperationException("broken at once"));
        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => ChannelCall.Start(throwsAtOnce, Request, CancellationToken.None));
        Assert.Equal("broken at once", first.Message);

        var throwsLater = new FakeRecallChannel("async-error", async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("broken later");
        });
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => ChannelCall.Start(throwsLater, Request, CancellationToken.None));
        Assert.Equal("broken later", second.Message);
    }

    [Fact]
    public async Task ACallThatIgnoresItsTokenIsAbandonedWhenTheTokenIsCancelled()
    {
        using var release = new ManualResetEventSlim();
        var stuck = new FakeRecallChannel("stuck", (_, _) =>
        {
            release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None); // ignores the token on purpose
            return ValueTask.FromResult(new RecallResult([new ScoredItem(1, 1)]));
        });
        using var timeout = new CancellationTokenSource();

        var call = ChannelCall.Start(stuck, Request, timeout.Token);
        await WaitUntil(() => stuck.Calls == 1);
        timeout.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(call.IsCanceled);
        release.Set(); // the late answer is dropped, not thrown anywhere
    }

    [Fact]
    public async Task ACallWhoseTokenIsAlreadyCancelledNeverReachesTheChannel()
    {
        var channel = FakeRecallChannel.Returning("never", 1, 2);
        using var timeout = new CancellationTokenSource();
        timeout.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChannelCall.Start(channel, Request, timeout.Token));
        Assert.Equal(0, channel.Calls);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the channel was never called");
            await Task.Delay(5);
        }
    }
}
