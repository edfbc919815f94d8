using RecFramework.Channels;

namespace RecFramework.Host.Tests;

/// <summary>A channel that signals when a call arrives and answers item 4242 only when the test opens the gate (or the call is cancelled).</summary>
internal sealed class GateChannel(GateChannel.Gate gate) : IRecallChannel
{
    public const string ChannelName = "gate";

    public string Name => ChannelName;

    public async ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        gate.Entered.TrySetResult();
        await gate.Open.Task.WaitAsync(cancellationToken);
        return new RecallResult([new ScoredItem(4242, 1)]);
    }

    /// <summary>The test's handle on the channel.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
