namespace RecFramework.Channels;

/// <summary>What a recall channel is asked: one user, how many candidates, and the request context.</summary>
public sealed record RecallRequest
{
    /// <summary>External user id.</summary>
    public required long UserId { get; init; }

    /// <summary>Number of candidates wanted (the channel's quota).</summary>
    public required int K { get; init; }

    /// <summary>The user's profile when known; null for users without one.</summary>
    public Profile? Profile { get; init; }

    /// <summary>The user's recent positive interactions, oldest first (last-N from the history store).</summary>
    public IReadOnlyList<Interaction> History { get; init; } = [];

    /// <summary>
    /// The user's recent dislikes (negative feedback, <see cref="InteractionType.Dislike"/>), oldest first. The disliked
    /// items are in <see cref="Exclude"/> too; a channel may use the list to steer away from similar items.
    /// </summary>
    public IReadOnlyList<Interaction> Dislikes { get; init; } = [];

    /// <summary>Items the caller will drop anyway (already interacted, blocked, disliked); channels should skip them and over-fetch.</summary>
    public IReadOnlySet<long> Exclude { get; init; } = EmptySet;

    /// <summary>Variant parameters for this channel (from the user's experiment assignment), free-form.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = EmptyParameters;

    /// <summary>Request time.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UnixEpoch;

    internal static readonly IReadOnlySet<long> EmptySet = new HashSet<long>();
    internal static readonly IReadOnlyDictionary<string, string> EmptyParameters = new Dictionary<string, string>();
}
