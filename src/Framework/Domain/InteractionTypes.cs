namespace RecFramework;

/// <summary>Parsing and naming of <see cref="InteractionType"/> values as they appear in files and APIs.</summary>
public static class InteractionTypes
{
    /// <summary>Lower-case names in enum order: impression, click, like, collect, share, comment, dwell, complete, dislike.</summary>
    public static IReadOnlyList<string> Names { get; } = ["impression", "click", "like", "collect", "share", "comment", "dwell", "complete", "dislike"];

    /// <summary>Parses a type name (case-insensitive).</summary>
    /// <returns>False when <paramref name="name"/> names no type.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out InteractionType type)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (name.Trim().Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                type = (InteractionType)i;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The lower-case name of <paramref name="type"/>.</summary>
    public static string ToName(this InteractionType type) => Names[(int)type];

    /// <summary>
    /// Whether events of <paramref name="type"/> carry a value (<see cref="InteractionType.Dwell"/>: seconds,
    /// <see cref="InteractionType.Complete"/>: a fraction); other kinds are plain counts.
    /// </summary>
    public static bool TakesValue(this InteractionType type) => type is InteractionType.Dwell or InteractionType.Complete;

    /// <summary>Checks the value of an event of <paramref name="type"/>.</summary>
    /// <param name="type">The event's kind.</param>
    /// <param name="value">The value sent with it; null when none was sent.</param>
    /// <param name="rule">When false: what the value must be, e.g. "must be a number of seconds >= 0 for dwell".</param>
    /// <returns>True when the value fits the kind: present and in range for a kind that takes one, absent otherwise.</returns>
    public static bool TryCheckValue(InteractionType type, double? value, out string rule)
    {
        (rule, var ok) = type switch
        {
            InteractionType.Dwell => ("must be a number of seconds >= 0 for dwell", value is { } v && double.IsFinite(v) && v >= 0),
            InteractionType.Complete => ("must be a fraction in [0, 1] for complete", value is { } f && f is >= 0 and <= 1),
            _ => ($"is only sent with dwell or complete, not with {type.ToName()}", value is null),
        };
        return ok;
    }
}
