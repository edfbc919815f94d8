namespace RecFramework.Stores;

/// <summary>Each user's recent positive interactions (last-N), oldest first.</summary>
public interface IUserHistoryStore
{
    /// <summary>Appends an event to the user's history, dropping the oldest past the store's capacity.</summary>
    ValueTask AppendAsync(Interaction interaction, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> most recent events of the user, oldest first; empty for unknown users.</summary>
    ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default);
}
