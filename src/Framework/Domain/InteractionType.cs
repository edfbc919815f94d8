namespace RecFramework;

/// <summary>The kind of a user–item interaction event.</summary>
/// <remarks>
/// Values are stored (event log, Redis) as their number, so new kinds are appended, never renumbered; each new kind
/// also gets its name in <see cref="InteractionTypes.Names"/> and, when it carries a value, a rule in
/// <see cref="InteractionTypes.TryCheckValue"/>.
/// </remarks>
public enum InteractionType : byte
{
    /// <summary>The item was shown to the user.</summary>
    Impression = 0,
    /// <summary>The user clicked the item.</summary>
    Click = 1,
    /// <summary>The user liked the item.</summary>
    Like = 2,
    /// <summary>The user collected (bookmarked) the item.</summary>
    Collect = 3,
    /// <summary>The user shared the item.</summary>
    Share = 4,
    /// <summary>The user commented on the item.</summary>
    Comment = 5,
    /// <summary>The user stayed on the item; its value is the dwell time in seconds (≥ 0).</summary>
    Dwell = 6,
    /// <summary>The user consumed the item to some extent; its value is the completed fraction in [0, 1].</summary>
    Complete = 7,
    /// <summary>
    /// The user said "not interested": negative feedback. Not a positive signal (kept out of history, popularity and
    /// training); the recall pipeline filters the item and, when configured, items sharing its catalogue fields.
    /// </summary>
    Dislike = 8,
}
