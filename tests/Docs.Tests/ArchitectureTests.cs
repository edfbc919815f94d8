using System.Xml.Linq;

namespace RecFramework.Docs.Tests;

/// <summary>
/// The allowed project references of docs/architecture.md, checked on the project files: a forbidden reference fails
/// the build's test run. The table below is the rule; the doc's table says the same in words.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>What each src project may reference (Host may reference everything; nothing may reference Host).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Framework"] = [],
        ["Channels.ItemCF"] = ["Framework"],
        ["Channels.TwoTower"] = ["Framework"],
        ["Vectors.Faiss"] = ["Framework"],
        ["Stores.Redis"] = ["Framework"],
        ["Experiments"] = ["Framework"],
        ["Analysis"] = ["Framework", "Experiments"],
        ["AspNetCore"] = ["Framework", "Experiments"],
        ["Export.Parquet"] = ["Framework", "Channels.TwoTower"],
        ["Fusion.Learned"] = ["Framework"],
    };

    [Fact]
    public void EverySrcProjectReferencesOnlyWhatTheArchitectureAllows()
    {
        var src = Path.Combine(RepositoryLayout.Root(), "src");
        var projects = Directory.GetDirectories(src).Select(Path.GetFileName).Where(n => File.Exists(Path.Combine(src, n!, n + ".csproj"))).ToList();

        var violations = new List<string>();
        foreach (var project in projects)
        {
            var references = References(Path.Combine(src, project!, project + ".csproj"));
            if (project == "Host")
            {
                continue;
            }

            if (!Allowed.TryGetValue(project!, out var allowed))
            {
                violations.Add($"{project}: a new src project; add its allowed references to docs/architecture.md and this test");
                continue;
            }

            violations.AddRange(references.Where(r => !allowed.Contains(r, StringComparer.Ordinal)).Select(r => $"{project} -> {r}"));
        }

        Assert.True(violations.Count == 0, "Forbidden project references (docs/architecture.md): " + string.Join("; ", violations));
        Assert.Contains("Host", projects);
    }

    [Fact]
    public void NothingReferencesTheHostOrGrantsItInternals()
    {
        var root = RepositoryLayout.Root();
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(file);
            offenders.AddRange(xml.Descendants("InternalsVisibleTo")
                .Select(e => (string?)e.Attribute("Include") ?? "")
                .Where(name => name is "RecFramework.Host" or "Bench")
                .Select(name => $"{Path.GetFileName(file)} grants internals to {name}"));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.csproj", SearchOption.AllDirectories)))
        {
            if (References(file).Contains("Host", StringComparer.Ordinal) && !file.EndsWith("Host.csproj", StringComparison.Ordinal))
            {
                offenders.Add($"{Path.GetFileName(file)} references Host");
            }
        }

        Assert.True(offenders.Count == 0, string.Join("; ", offenders));
    }

    [Fact]
    public void TheArchitectureDocNamesEveryProject()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryLayout.Root(), "docs", "architecture.md"));
        foreach (var project in Allowed.Keys.Append("Host"))
        {
            Assert.Contains($"src/{project}", doc, StringComparison.Ordinal);
        }
    }

    private static string[] References(string csproj) =>
        [.. XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? "").Replace('\\', '/')))];
}
