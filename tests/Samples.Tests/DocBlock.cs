using System.Text.RegularExpressions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// One fenced code block of a Markdown page: its info string (<c>csharp</c>, <c>csharp ignore</c>, <c>json</c>…), its
/// code with the fence's indentation removed (blocks inside list items are indented), and the page line of its first
/// code line (so compiler errors can point into the page).
/// </summary>
internal sealed partial record DocBlock(string Page, int FirstLine, string Info, string Code)
{
    /// <summary>The marker that keeps a C# block out of the docs-compile test (write it after the language).</summary>
    public const string IgnoreMarker = "ignore";

    /// <summary>The language: the first word of the info string.</summary>
    public string Language => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    /// <summary>True for <c>```csharp ignore</c>: shown to readers, deliberately not compiled.</summary>
    public bool Ignored => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Contains(IgnoreMarker, StringComparer.Ordinal);

    /// <summary>The page's fenced blocks in order; <paramref name="page"/> is the name errors will carry.</summary>
    /// <exception cref="InvalidDataException">A fence is never closed.</exception>
    public static IReadOnlyList<DocBlock> Parse(string page, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = OpeningFence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups[1].Value.Length;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !ClosingFence().IsMatch(lines[end]))
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new InvalidDataException($"{page}:{i + 1}: the code fence is never closed.");
            }

            var code = lines[start..end].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart());
            blocks.Add(new DocBlock(page, start + 1, open.Groups[2].Value.Trim(), string.Join('\n', code) + "\n"));
            i = end;
        }

        return blocks;
    }

    [GeneratedRegex(@"^(\s*)```(\S.*)$")]
    private static partial Regex OpeningFence();

    [GeneratedRegex(@"^\s*```\s*$")]
    private static partial Regex ClosingFence();
}
