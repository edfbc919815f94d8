namespace RecFramework;

/// <summary>One interaction event: a user did something with an item at a time.</summary>
/// <param name="UserId">External user id.</param>
/// <param name="ItemId">External item id.</param>
/// <param name="Type">What the user did.</param>
/// <param name="Timestamp">Unix time in seconds.</param>
/// <param name="Weight">Event strength (a rating, a dwell time…); 1 when the source has none.</param>
public readonly record struct Interaction(long UserId, long ItemId, InteractionType Type, long Timestamp, float Weight = 1f)
{
    /// <summary>
    /// True for every type except <see cref="InteractionType.Impression"/> and <see cref="InteractionType.Dislike"/>:
    /// a positive signal.
    /// </summary>
    public bool IsPositive => Type is not (InteractionType.Impression or InteractionType.Dislike);
}
