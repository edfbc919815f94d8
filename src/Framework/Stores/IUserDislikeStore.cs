namespace RecFramework.Stores;

/// <summary>
/// Each user's recent negative feedback (<see cref="InteractionType.Dislike"/> events: "not interested"), oldest first,
/// bounded per user. Kept apart from <see cref="IUserHistoryStore"/> so a dislike never reads as a positive. The recall
/// pipeline reads it to filter disliked items (and, when configured, items sharing their catalogue fields) and passes
/// it to channels as <see cref="Channels.RecallRequest.Dislikes"/>.
/// </summary>
public interface IUserDislikeStore
{
    /// <summary>Appends a dislike to the user's list, dropping the oldest past the store's capacity.</summary>
    ValueTask AppendAsync(Interaction dislike, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> most recent dislikes of the user, oldest first; empty for unknown users.</summary>
    ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default);
}
