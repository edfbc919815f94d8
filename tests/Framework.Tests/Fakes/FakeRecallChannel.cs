using RecFramework.Channels;

namespace RecFramework.Tests.Fakes;

/// <summary>A channel whose behaviour is a callback; counts calls.</summary>
internal sealed class FakeRecallChannel(string name, Func<RecallRequest, CancellationToken, ValueTask<RecallResult>> behaviour) : IRecallChannel
{
    private int _calls;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public RecallRequest? LastRequest { get; private set; }

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        LastRequest = request;
        return behaviour(request, cancellationToken);
    }

    public static FakeRecallChannel Returning(string name, params long[] items) =>
        new(name, (_, _) => ValueTask.FromResult(new RecallResult(items.Select((id, i) => new ScoredItem(id, items.Length - i)).ToArray())));
}
