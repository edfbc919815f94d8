using System.ComponentModel.DataAnnotations;

namespace RecFramework.Pipeline;

/// <summary>
/// How the recall pipeline applies negative feedback (<see cref="InteractionType.Dislike"/> events), section
/// <c>RecFramework:NegativeFeedback</c>. A disliked item is always filtered (as long as the dislike store keeps the
/// dislike); a dislike extends to the items sharing a value of one of <see cref="Fields"/> for
/// <see cref="PeriodDays"/> after it.
/// </summary>
public sealed class NegativeFeedbackOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:NegativeFeedback";

    /// <summary>Most recent dislikes of the user read per request (0: negative feedback is ignored).</summary>
    [Range(0, 100_000)]
    public int MaxDislikes { get; set; } = 200;

    /// <summary>
    /// Item catalogue fields (for example <c>author</c>, <c>category</c>, <c>tags</c>) whose values a dislike extends
    /// to: while the dislike is younger than <see cref="PeriodDays"/>, every candidate with one of the disliked item's
    /// values of one of these fields is filtered. Empty (the default): only the disliked item itself.
    /// </summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>
    /// Days after a dislike during which it extends to <see cref="Fields"/>, counted from the dislike's timestamp to the
    /// request time; afterwards those items may be recommended again. 0: never.
    /// </summary>
    [Range(0, 3650)]
    public double PeriodDays { get; set; } = 7;
}
