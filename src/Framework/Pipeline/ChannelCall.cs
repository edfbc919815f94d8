using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>
/// One channel call of a request, run on the thread pool so that channels which compute synchronously still run in
/// parallel: its task completes with the channel's answer or failure, or as cancelled the moment the channel's token
/// is, so a call that ignores its token is abandoned (its late answer is dropped). That is what <c>Task.Run</c> with
/// <c>WaitAsync</c> did; this is one object per call instead of the closure, delegate, outer task, unwrap promise,
/// value-task conversion and cancellation promise those allocate — five channels a request made them a tenth of a
/// request's garbage. The caller's execution context flows into the call, as with <c>Task.Run</c>: a channel sees the
/// request's logging scope, current activity and other async-local state.
/// </summary>
internal sealed class ChannelCall : TaskCompletionSource<RecallResult>
{
    private readonly IRecallChannel _channel;
    private readonly RecallRequest _request;
    private readonly CancellationToken _timeout;
    private CancellationTokenRegistration _registration;

    private ChannelCall(IRecallChannel channel, RecallRequest request, CancellationToken timeout)
    {
        _channel = channel;
        _request = request;
        _timeout = timeout;
    }

    /// <summary>Queues the call; the task ends with the answer, the channel's exception, or cancellation by <paramref name="timeout"/>.</summary>
    public static System.Threading.Tasks.Task<RecallResult> Start(IRecallChannel channel, RecallRequest request, CancellationToken timeout)
    {
        if (timeout.IsCancellationRequested)
        {
            return System.Threading.Tasks.Task.FromCanceled<RecallResult>(timeout);
        }

        var call = new ChannelCall(channel, request, timeout);
        call._registration = timeout.UnsafeRegister(static (state, token) => ((ChannelCall)state!).TrySetCanceled(token), call);
        ThreadPool.QueueUserWorkItem(static call => call.Run(), call, preferLocal: false);
        return call.Task;
    }

    private void Run()
    {
        if (_timeout.IsCancellationRequested)
        {
            // Cancelled while queued: the registration has ended the task; the channel is not called.
            _registration.Unregister();
            return;
        }

        try
        {
            var pending = _channel.RecallAsync(_request, _timeout);
            if (pending.IsCompletedSuccessfully)
            {
                Complete(pending.Result);
            }
            else
            {
                _ = CompleteLaterAsync(pending);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private async System.Threading.Tasks.Task CompleteLaterAsync(ValueTask<RecallResult> pending)
    {
        try
        {
            Complete(await pending.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Complete(RecallResult result)
    {
        _registration.Unregister();
        TrySetResult(result);
    }

    private void Fail(Exception exception)
    {
        _registration.Unregister();
        TrySetException(exception);
    }
}
