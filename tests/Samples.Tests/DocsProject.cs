using System.Text;
using System.Text.RegularExpressions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// Turns the C# blocks of the docs into the source files of one web project, by a convention simple enough to follow
/// when writing a page:
/// <list type="bullet">
/// <item>a block calling <c>WebApplication.CreateBuilder</c> is a whole <c>Program.cs</c> (at most one in the project);</item>
/// <item>a block declaring a type (a line starting with <c>public</c>/<c>internal</c> … <c>class</c>, <c>record</c>,
/// <c>interface</c>, <c>struct</c> or <c>enum</c>) is a file of its own, as written;</item>
/// <item>any other block is a snippet: its leading <c>using</c> lines (a trailing <c>//</c> comment allowed) stay at the top of a file of its own, the rest
/// becomes the body of a method with a <c>WebApplicationBuilder builder</c> parameter; the web SDK's implicit usings are
/// the only ones given for free;</item>
/// <item><c>```csharp ignore</c> keeps a block out (shown to readers, never compiled).</item>
/// </list>
/// Every file carries <c>#line</c> directives, so a compiler error names the page and its line.
/// </summary>
internal sealed partial class DocsProject
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    /// <summary>The generated files by name.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>The blocks that went into a file.</summary>
    public List<DocBlock> Compiled { get; } = [];

    /// <summary>The blocks marked <c>ignore</c>.</summary>
    public List<DocBlock> Ignored { get; } = [];

    /// <summary>Adds every C# block of <paramref name="blocks"/>.</summary>
    /// <exception cref="InvalidOperationException">A second whole program appears.</exception>
    public void Add(IEnumerable<DocBlock> blocks)
    {
        foreach (var block in blocks.Where(b => b.Language == "csharp"))
        {
            if (block.Ignored)
            {
                Ignored.Add(block);
                continue;
            }

            var name = $"{Regex.Replace(Path.GetFileNameWithoutExtension(block.Page), "[^A-Za-z0-9]", "_")}_L{block.FirstLine}";
            if (block.Code.Contains("WebApplication.CreateBuilder(", StringComparison.Ordinal))
            {
                if (_files.ContainsKey("Program.cs"))
                {
                    throw new InvalidOperationException($"{block.Page}:{block.FirstLine} is a second whole Program.cs; mark one of them `csharp {DocBlock.IgnoreMarker}`.");
                }

                _files["Program.cs"] = Line(block.Page, block.FirstLine) + block.Code;
            }
            else if (TypeDeclaration().IsMatch(block.Code))
            {
                _files[name + ".cs"] = Line(block.Page, block.FirstLine) + block.Code;
            }
            else
            {
                _files[name + ".cs"] = Snippet(block, name);
            }

            Compiled.Add(block);
        }
    }

    /// <summary>Writes the files (and a trivial <c>Program.cs</c> when no block is one) into <paramref name="directory"/>.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in _files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        if (!_files.ContainsKey("Program.cs"))
        {
            File.WriteAllText(Path.Combine(directory, "Program.cs"), "System.Console.WriteLine(\"no program block\");\n");
        }
    }

    private static string Snippet(DocBlock block, string name)
    {
        var lines = block.Code.TrimEnd('\n').Split('\n');
        var head = 0;
        while (head < lines.Length && (UsingLine().IsMatch(lines[head]) || string.IsNullOrWhiteSpace(lines[head])))
        {
            head++;
        }

        var text = new StringBuilder();
        text.Append(Line(block.Page, block.FirstLine));
        foreach (var line in lines[..head])
        {
            text.Append(line).Append('\n');
        }

        text.Append("#line default\n")
            .Append("internal static class ").Append(name).Append("\n{\n")
            .Append("    internal static void Run(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)\n    {\n")
            .Append(Line(block.Page, block.FirstLine + head));
        foreach (var line in lines[head..])
        {
            text.Append(line).Append('\n');
        }

        return text.Append("#line default\n    }\n}\n").ToString();
    }

    private static string Line(string page, int line) => $"#line {line} \"{page}\"\n";

    [GeneratedRegex(@"^\s*using\s+[\w.]+\s*;\s*(//.*)?$")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^(public |internal )?((sealed|static|abstract|partial|readonly) )*(class|record|interface|struct|enum) ", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
