using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RecFramework.Docs.Tests;

/// <summary>The <c>&lt;summary&gt;</c> of types and properties, read from the XML documentation file beside each assembly, as Markdown.</summary>
internal static partial class XmlDocs
{
    private static readonly Dictionary<Assembly, Dictionary<string, XElement>> Cache = [];

    /// <summary>The summary of <paramref name="type"/>, or empty.</summary>
    public static string Summary(Type type) => Summary(type.Assembly, "T:" + Name(type));

    /// <summary>The summary of <paramref name="property"/> (looked up on its declaring type), or empty.</summary>
    public static string Summary(PropertyInfo property) =>
        Summary(property.DeclaringType!.Assembly, "P:" + Name(property.DeclaringType!) + "." + property.Name);

    private static string Summary(Assembly assembly, string member)
    {
        Dictionary<string, XElement> members;
        lock (Cache)
        {
            if (!Cache.TryGetValue(assembly, out members!))
            {
                var path = Path.ChangeExtension(assembly.Location, ".xml");
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"XML documentation of {assembly.GetName().Name} not found at {path}.");
                }

                members = XDocument.Load(path).Descendants("member")
                    .ToDictionary(m => (string)m.Attribute("name")!, m => m, StringComparer.Ordinal);
                Cache[assembly] = members;
            }
        }

        return members.TryGetValue(member, out var element) && element.Element("summary") is { } summary ? Markdown(summary) : "";
    }

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    private static string Markdown(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } e => "`" + e.Value + "`",
                XElement { Name.LocalName: "see" or "seealso" } e => "`" + Short((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? e.Value) + "`",
                XElement { Name.LocalName: "paramref" or "typeparamref" } e => "`" + (string?)e.Attribute("name") + "`",
                XElement e => e.Value,
                _ => "",
            });
        }

        return Whitespace().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    /// <summary><c>T:RecFramework.Pipeline.FusionMode.ReciprocalRank</c> → <c>FusionMode.ReciprocalRank</c>; <c>P:….Backend</c> → <c>Backend</c>.</summary>
    private static string Short(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : parts[^2] + "." + parts[^1];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
