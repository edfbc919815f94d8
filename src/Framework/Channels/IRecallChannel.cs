namespace RecFramework.Channels;

/// <summary>
/// A recall channel: given a user's context, returns up to <see cref="RecallRequest.K"/> scored candidate items.
/// Implementations are singletons, thread-safe, and registered under a unique lower-kebab name
/// (<see cref="RecallChannelAttribute"/>).
/// </summary>
public interface IRecallChannel
{
    /// <summary>The channel's unique lower-kebab name ("two-tower", "itemcf", "popular").</summary>
    string Name { get; }

    /// <summary>Recalls candidates for one request. Must honour <paramref name="cancellationToken"/> (timeouts).</summary>
    ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken);
}
