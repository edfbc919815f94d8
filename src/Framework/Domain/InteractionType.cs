namespace RecFramework;

/// <summary>The kind of a user–item interaction event.</summary>
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
    /// <summary>
    /// The user said "not interested": negative feedback. Not a positive signal (kept out of history, popularity and
    /// training); the recall pipeline filters the item and, when configured, items sharing its catalogue fields.
    /// </summary>
    Dislike = 6,
}
