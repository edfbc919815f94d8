using System.Text;

namespace RecFramework.AspNetCore;

/// <summary>
/// Makes client-facing and logged texts safe: values are cut to <see cref="MaxValueLength"/> characters, the
/// artifact store's absolute root is replaced by <c>&lt;artifacts&gt;</c>, and no message grows past
/// <see cref="MaxMessageLength"/> characters.
/// </summary>
internal static class ProblemText
{
    /// <summary>Longest value echoed in an answer or a log line.</summary>
    public const int MaxValueLength = 64;

    /// <summary>Longest message of an answer or a log line.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary><paramref name="value"/> cut to <see cref="MaxValueLength"/> characters (an ellipsis marks the cut).</summary>
    public static string Truncate(string? value) =>
        value is null ? "" : value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength), "…");

    /// <summary>
    /// <paramref name="message"/> with the artifact root replaced, every whitespace-free run longer than
    /// <see cref="MaxValueLength"/> cut, and the whole cut to <see cref="MaxMessageLength"/>.
    /// </summary>
    public static string Sanitize(string message, string? artifactsRoot)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.IsNullOrEmpty(artifactsRoot))
        {
            var full = Path.GetFullPath(artifactsRoot).TrimEnd(Path.DirectorySeparatorChar);
            message = message.Replace(full, "<artifacts>", StringComparison.Ordinal);
            if (!string.Equals(full, artifactsRoot, StringComparison.Ordinal) && artifactsRoot.Length > 1)
            {
                message = message.Replace(artifactsRoot.TrimEnd(Path.DirectorySeparatorChar), "<artifacts>", StringComparison.Ordinal);
            }
        }

        var text = new StringBuilder(Math.Min(message.Length, MaxMessageLength + 1));
        var run = 0;
        foreach (var c in message)
        {
            run = char.IsWhiteSpace(c) ? 0 : run + 1;
            if (run == MaxValueLength + 1)
            {
                text.Append('…');
            }
            else if (run <= MaxValueLength)
            {
                text.Append(c);
            }

            if (text.Length >= MaxMessageLength)
            {
                text.Append('…');
                break;
            }
        }

        return text.ToString();
    }
}
