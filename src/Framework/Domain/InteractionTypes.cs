namespace RecFramework;

/// <summary>Parsing and naming of <see cref="InteractionType"/> values as they appear in files and APIs.</summary>
public static class InteractionTypes
{
    /// <summary>Lower-case names in enum order: impression, click, like, collect, share, comment, dislike.</summary>
    public static IReadOnlyList<string> Names { get; } = ["impression", "click", "like", "collect", "share", "comment", "dislike"];

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
}
