namespace RecFramework.Bench.Freshness;

/// <summary>
/// The update worker's clock in <c>bench freshness</c>: wall-clock time that runs <see cref="Speed"/> times faster from
/// its creation, timers scaled alike (a one-minute schedule ticks every 60 / <see cref="Speed"/> real seconds), so a
/// short benchmark sees several scheduled cycles of the real worker loop. Only the worker gets it; the service, its
/// event validation and every figure the benchmark reports stay on the wall clock. Speed 1 is the wall clock.
/// </summary>
internal sealed class ScaledClock : TimeProvider
{
    private readonly DateTimeOffset _origin = System.GetUtcNow();
    private readonly long _originTimestamp = System.GetTimestamp();

    public ScaledClock(double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1.0);
        Speed = speed;
    }

    public double Speed { get; }

    public override DateTimeOffset GetUtcNow() => _origin + (System.GetElapsedTime(_originTimestamp) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span <= TimeSpan.Zero || span == Timeout.InfiniteTimeSpan ? span : span / Speed;

    private sealed class ScaledTimer(ITimer inner, ScaledClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
