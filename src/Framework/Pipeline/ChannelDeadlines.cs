namespace RecFramework.Pipeline;

/// <summary>
/// The cancellation of one request's channel calls: one token per distinct channel timeout, cancelled when that timeout
/// passes (on the pipeline's <see cref="TimeProvider"/>) or the request's deadline does. Channels with the same timeout
/// share one timer and one linked source instead of arming two timers and a linked source each. Disposed when every
/// call of the request has answered or been abandoned.
/// </summary>
internal sealed class ChannelDeadlines : IDisposable
{
    private readonly CancellationToken _request;
    private readonly TimeProvider _time;
    private (TimeSpan Timeout, CancellationTokenSource Timer, CancellationTokenSource Linked)[] _sources = new (TimeSpan, CancellationTokenSource, CancellationTokenSource)[2];
    private int _count;

    /// <param name="time">Clock of the channel timeouts.</param>
    /// <param name="request">The request's deadline (its own timeout and the caller's cancellation).</param>
    public ChannelDeadlines(TimeProvider time, CancellationToken request)
    {
        _request = request;
        _time = time;
    }

    /// <summary>The token cancelled <paramref name="timeout"/> after its first request here, or at the request's deadline.</summary>
    public CancellationToken For(TimeSpan timeout)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_sources[i].Timeout == timeout)
            {
                return _sources[i].Linked.Token;
            }
        }

        var timer = new CancellationTokenSource(timeout, _time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_request, timer.Token);
        if (_count == _sources.Length)
        {
            Array.Resize(ref _sources, _count * 2);
        }

        _sources[_count++] = (timeout, timer, linked);
        return linked.Token;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            _sources[i].Linked.Dispose();
            _sources[i].Timer.Dispose();
        }

        _count = 0;
    }
}
