using System.Text;

namespace RecFramework.Data;

/// <summary>Splits delimited lines: tab-separated (no quoting) or comma-separated with RFC 4180 double quotes on one line.</summary>
internal static class DelimitedText
{
    /// <summary>
    /// <paramref name="value"/> made safe to print in an error: control characters, undecodable bytes (U+FFFD) and other
    /// non-printable characters as <c>\xNN</c> / <c>\uNNNN</c> escapes, cut to about <paramref name="max"/> characters; a
    /// binary file's line is described rather than echoed.
    /// </summary>
    public static string Printable(string value, int max = 120)
    {
        var text = new System.Text.StringBuilder(Math.Min(value.Length, max) + 16);
        var escaped = 0;
        foreach (var c in value)
        {
            if (text.Length >= max)
            {
                text.Append("...");
                break;
            }

            if (c == '\t')
            {
                text.Append("\\t");
            }
            else if (char.IsControl(c) || c == '\uFFFD' || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.OtherNotAssigned)
            {
                escaped++;
                text.Append(c <= '\u00FF' ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return escaped > value.Length / 4 && value.Length > 8 ? $"binary data, {escaped} non-printable of {value.Length} characters: {text}" : text.ToString();
    }

    /// <summary>The separator of a header line: tab when it contains one, else comma.</summary>
    public static char DetectSeparator(string header) => header.Contains('\t', StringComparison.Ordinal) ? '\t' : ',';

    /// <summary>Splits <paramref name="line"/>; returns null when a quoted field is not closed.</summary>
    public static string[]? Split(string line, char separator)
    {
        if (separator == '\t' || !line.Contains('"', StringComparison.Ordinal))
        {
            return line.Split(separator);
        }

        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        current.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(current.ToString());
        return fields.ToArray();
    }

    /// <summary>Quotes a CSV field when it contains the separator, a quote or a line break.</summary>
    public static string Quote(string value, char separator) =>
        value.AsSpan().IndexOfAny(separator, '"', '\n') < 0 && !value.Contains('\r', StringComparison.Ordinal)
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
