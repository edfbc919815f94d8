using RecFramework.AspNetCore;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Stores.Redis;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Docs.Tests;

public sealed class ConfigurationReferenceTests
{
    /// <summary>Options-named classes that are method arguments, not configuration, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotConfiguration = new(StringComparer.Ordinal)
    {
        ["RecFramework.Evaluation.EvaluationOptions"] = "argument of ChannelEvaluator.Evaluate",
        ["RecFramework.Data.LoadOptions"] = "argument of DatasetLoader.Load",
        ["RecFramework.Data.EventLogLoadOptions"] = "argument of EventLogDataSource.LoadAsync",
        ["RecFramework.Data.Synthetic.SyntheticOptions"] = "argument of SyntheticGenerator.Generate (the CLI's generate flags)",
        ["RecFramework.Experiments.Analysis.AnalysisOptions"] = "argument of ExperimentAnalyzer.Analyze",
        ["RecFramework.Channels.ItemCF.NeighbourhoodOptions"] = "abstract base; its keys are documented under each of itemcf, swing, usercf",
        ["RecFramework.Analysis.Evaluation.EvaluationRunOptions"] = "argument of EvaluationRunner.RunAsync (the CLI's evaluate flags)",
        ["RecFramework.Analysis.Tuning.TuningOptions"] = "argument of ChannelTuner.RunAsync (the CLI's tune flags)",
    };

    private static readonly string[] Assemblies =
    [
        "RecFramework", "RecFramework.Channels.ItemCF", "RecFramework.Channels.TwoTower", "RecFramework.Experiments",
        "RecFramework.Stores.Redis", "RecFramework.Vectors.Faiss", "RecFramework.Analysis", "RecFramework.AspNetCore", "RecFramework.Host",
    ];

    [Fact]
    public void CommittedReferenceMatchesTheOptionsClasses()
    {
        var path = Path.Combine(RepositoryRoot(), ConfigurationReference.RelativePath);
        var generated = ConfigurationReference.Generate();
        if (Environment.GetEnvironmentVariable("RECFW_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{ConfigurationReference.RelativePath} is missing; generate it: {ConfigurationReference.RegenerateCommand}");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            $"{ConfigurationReference.RelativePath} is out of date with the options classes (first difference at line {FirstDifference(committed, generated)}). " +
            $"Regenerate it: {ConfigurationReference.RegenerateCommand}");
    }

    [Fact]
    public void EveryOptionsPropertyAppearsInTheCommittedReference()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), ConfigurationReference.RelativePath)).ReplaceLineEndings("\n");
        var missing = new List<string>();
        foreach (var section in ConfigurationReference.Sections)
        {
            CheckType(text, section.Path, section.Type, missing);
        }

        Assert.True(missing.Count == 0, $"not in {ConfigurationReference.RelativePath}: {string.Join(", ", missing)}. Regenerate it: {ConfigurationReference.RegenerateCommand}");
    }

    [Fact]
    public void EveryOptionsClassBoundFromConfigurationIsDocumented()
    {
        // What the packages bind: the options types the public registrations bind from IConfiguration.
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddRedisStores().AddItemCFChannel().AddSwingChannel().AddUserCFChannel().AddFaissVectorIndex().AddTwoTowerChannel().AddMatrixCompletionChannel().AddRecExperiments().AddRecFrameworkService();
        var bound = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Append(typeof(RecFramework.AspNetCore.Hosting.ServiceRuntimeOptions)) // bound by UseRecFrameworkRuntime
            .Distinct()
            .ToArray();
        var documented = DocumentedTypes();
        Assert.Empty(bound.Where(t => !documented.Contains(t)).Select(t => t.FullName));

        // Any other class named *Options in the assemblies must be documented or be a known non-configuration type.
        var candidates = Assemblies.Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.IsNested && !t.Name.StartsWith('<'))
            .Where(t => !documented.Contains(t) && !NotConfiguration.ContainsKey(t.FullName!))
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(candidates.Length == 0,
            $"options classes neither in ConfigurationReference.Sections nor listed as non-configuration: {string.Join(", ", candidates)}");
    }

    [Fact]
    public void GeneratorRendersDefaultsRulesAndSummaries()
    {
        var text = ConfigurationReference.Generate();
        // A range, a default and a summary from RecallPipelineOptions.
        Assert.Contains("| `DefaultK` | int | `50` | 1 – 10000 | Items returned when a request names no k. |", text, StringComparison.Ordinal);
        // An enum's values.
        Assert.Contains("one of `ReciprocalRank`, `WeightedScore`, `RoundRobin`", text, StringComparison.Ordinal);
        // Inherited properties and a per-class default (ItemCF and UserCF set the base class's RecencyHalfLife differently).
        var itemcf = Section(text, "RecFramework:Channels:itemcf:Options");
        var usercf = Section(text, "RecFramework:Channels:usercf:Options");
        var (itemRecency, userRecency) = (new ItemCFOptions().RecencyHalfLife, new UserCFOptions().RecencyHalfLife);
        Assert.NotEqual(itemRecency, userRecency);
        Assert.Contains($"| `RecencyHalfLife` | double | `{itemRecency}` |", itemcf, StringComparison.Ordinal);
        Assert.Contains($"| `RecencyHalfLife` | double | `{userRecency}` |", usercf, StringComparison.Ordinal);
        // Nested classes and lists of them.
        Assert.Contains("### RecFramework:Experiments:Layers[i]:Experiments[i]:Variants[i]", text, StringComparison.Ordinal);
    }

    private static void CheckType(string text, string path, Type type, List<string> missing)
    {
        var section = Section(text, path);
        foreach (var p in ConfigurationReference.BoundProperties(type))
        {
            if (!section.Contains($"| `{p.Name}` |", StringComparison.Ordinal))
            {
                missing.Add($"{path}:{p.Name} ({type.Name}.{p.Name})");
            }
        }

        foreach (var (property, nested, suffix) in ConfigurationReference.NestedOptions(type))
        {
            CheckType(text, $"{path}:{property.Name}{suffix}", nested, missing);
        }
    }

    /// <summary>The text from the heading of <paramref name="path"/> to the next heading.</summary>
    private static string Section(string text, string path)
    {
        var start = text.IndexOf($"## {path}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var body = text.IndexOf('\n', start) + 1;
        var end = text.IndexOf("\n#", body, StringComparison.Ordinal);
        return end < 0 ? text[body..] : text[body..end];
    }

    private static HashSet<Type> DocumentedTypes()
    {
        var types = new HashSet<Type>();
        void Add(Type t)
        {
            if (types.Add(t))
            {
                foreach (var (_, nested, _) in ConfigurationReference.NestedOptions(t))
                {
                    Add(nested);
                }
            }
        }

        foreach (var section in ConfigurationReference.Sections)
        {
            Add(section.Type);
        }

        return types;
    }

    private static int FirstDifference(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return i + 1;
            }
        }

        return Math.Min(x.Length, y.Length) + 1;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RecFramework.sln not found above {AppContext.BaseDirectory}.");
    }
}
