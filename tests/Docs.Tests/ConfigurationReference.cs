using RecFramework.AspNetCore;
using RecFramework.AspNetCore.Hosting;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.Experiments.Logging;
using RecFramework.Lifecycle;
using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using RecFramework.Artifacts;
using RecFramework.Catalog;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.Experiments;
using RecFramework.Pipeline;
using RecFramework.Stores;
using RecFramework.Stores.Redis;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Docs.Tests;

/// <summary>
/// Writes docs/configuration-reference.md from the options classes: every public settable property of each section's
/// class (and of the classes nested in it), with its type, default (read from a new instance), DataAnnotations rules and
/// XML summary. The sections are listed here; <see cref="ConfigurationReferenceTests"/> checks that the list covers
/// every options class the framework binds from configuration.
/// </summary>
internal static class ConfigurationReference
{
    /// <summary>The reference's path inside the repository.</summary>
    public const string RelativePath = "docs/configuration-reference.md";

    /// <summary>How to rewrite the committed file.</summary>
    public const string RegenerateCommand = "RECFW_UPDATE_DOCS=1 dotnet test tests/Docs.Tests -c Release";

    /// <summary>Every documented section, in reading order.</summary>
    public static IReadOnlyList<OptionsSection> Sections { get; } =
    [
        new(RecallPipelineOptions.Section, typeof(RecallPipelineOptions), "Registered by `AddRecFramework`."),
        new("RecFramework:Channels:{name}", typeof(ChannelOptions),
            $"One section per registered channel, by name, applied over `{ChannelOptions.DefaultsSection}` (same keys). A section naming an unregistered channel is a start-up error. Experiment variants override these per request (see [configuration.md](configuration.md#variant-parameters-from-experiments))."),
        new(NegativeFeedbackOptions.Section, typeof(NegativeFeedbackOptions), "Registered by `AddRecFramework`: what a `dislike` event filters. See [configuration.md](configuration.md#recframeworknegativefeedback--negativefeedbackoptions)."),
        new(StoreOptions.Section, typeof(StoreOptions), "Registered by `AddRecFramework`; backend-neutral (the stores are in-process unless another backend is registered)."),
        new(RedisStoreOptions.Section, typeof(RedisStoreOptions), "Registered by `AddRedisStores` (package RecFramework.Stores.Redis), which is what selects Redis. The Host calls it when `Configuration` is set."),
        new(ArtifactStoreOptions.Section, typeof(ArtifactStoreOptions), "Registered by `AddRecFramework`."),
        new(ModelUpdateOptions.Section, typeof(ModelUpdateOptions), "Registered by `AddModelUpdates` (the Host calls it): scheduled builds from the event log, run by `ModelUpdateWorker`. See [operations.md](operations.md#scheduled-updates)."),
        new(ItemCatalogOptions.Section, typeof(ItemCatalogOptions), "Registered by `AddRecFramework`: how the item catalogue (`IItemCatalog`) reads the data set's item profiles. See [catalog.md](catalog.md)."),
        new(ChannelStartupOptions.Section, typeof(ChannelStartupOptions), "Registered by `AddRecFramework`: what the hosted start-up does (seed the stores, open or build every channel's version). Data can also be given in code with `UseStartupData`."),
        new(ChannelOptions.OptionsSectionOf(ItemCFOptions.ChannelName), typeof(ItemCFOptions), "Registered by `AddItemCFChannel(name)` (package RecFramework.Channels.ItemCF) as `RecFramework:Channels:{name}:Options`; `{name}` is `itemcf` by default."),
        new(ChannelOptions.OptionsSectionOf(SwingOptions.ChannelName), typeof(SwingOptions), "Registered by `AddSwingChannel(name)` as `RecFramework:Channels:{name}:Options`; `{name}` is `swing` by default."),
        new(ChannelOptions.OptionsSectionOf(UserCFOptions.ChannelName), typeof(UserCFOptions), "Registered by `AddUserCFChannel(name)` as `RecFramework:Channels:{name}:Options`; `{name}` is `usercf` by default."),
        new(ChannelOptions.OptionsSectionOf("two-tower"), typeof(TwoTowerOptions), "Registered by `AddTwoTowerChannel(name)` (package RecFramework.Channels.TwoTower) as `RecFramework:Channels:{name}:Options`; `{name}` is `two-tower` by default."),
        new(ChannelOptions.OptionsSectionOf(MatrixCompletionOptions.ChannelName), typeof(MatrixCompletionOptions), "Registered by `AddMatrixCompletionChannel(name)` (package RecFramework.Channels.TwoTower) as `RecFramework:Channels:{name}:Options`; `{name}` is `matrix-completion` by default. The Host registers it disabled in the service's default plan (`RecFramework:Channels:matrix-completion:Enabled` = false in its appsettings.json); `evaluate` and `build` use it by name. See [two-tower.md](two-tower.md#matrix-completion)."),
        new(RecFramework.Fusion.Learned.LearnedFusionOptions.Section, typeof(RecFramework.Fusion.Learned.LearnedFusionOptions), "Registered by `AddLearnedFusion` (package RecFramework.Fusion.Learned; the Host's `serve` calls it): the model that `fusion=Learned` serves. See [data-and-evaluation.md](data-and-evaluation.md#learned-fusion)."),
        new(VectorIndexOptions.SectionName, typeof(VectorIndexOptions), "Registered by `AddFaissVectorIndex` (package RecFramework.Vectors.Faiss)."),
        new(ExperimentsOptions.Section, typeof(ExperimentsOptions), "Registered by `AddRecExperiments` (package RecFramework.Experiments). Semantics: [experiments.md](experiments.md)."),
        new(RecFramework.Experiments.Operations.ExperimentStoreOptions.Section, typeof(RecFramework.Experiments.Operations.ExperimentStoreOptions), "Registered by `AddExperimentStore` (package RecFramework.Experiments; `AddRecFrameworkService` calls it): where lifecycle operations keep the experiment configuration, versioned with an audit trail. Once the store holds a configuration, it replaces the `RecFramework:Experiments` section. See [experiments.md](experiments.md#lifecycle-operations)."),
        new(ExposureLogOptions.Section, typeof(ExposureLogOptions), "Registered by `AddExposureLog` (package RecFramework.Experiments; `AddRecFrameworkService` calls it): the JSONL file that `compare --mode logged` reads."),
        new(RecFramework.Experiments.Analysis.LiveAnalysisOptions.Section, typeof(RecFramework.Experiments.Analysis.LiveAnalysisOptions), "Registered by `AddLiveAnalysis` (package RecFramework.Experiments; `AddRecFrameworkService` calls it): how often and how much of the exposure log `GET /experiments/analysis` and the page `GET /experiments/page` read. See [experiments.md](experiments.md#live-analysis-get-experimentsanalysis)."),
        new(ServiceOptions.Section, typeof(ServiceOptions), "Registered by `AddRecFrameworkService` (package RecFramework.AspNetCore): limits of the endpoints, the admin key and the read-only key."),
        new(TelemetryOptions.Section, typeof(TelemetryOptions), "Registered by `AddRecFrameworkService` (package RecFramework.AspNetCore): OpenTelemetry export and the `GET /metrics` snapshot. See [operations.md](operations.md#monitoring)."),
        new(ServiceRuntimeOptions.Section, typeof(ServiceRuntimeOptions), "Bound and applied by `UseRecFrameworkRuntime` (package RecFramework.AspNetCore; the Host's `serve` calls it): runtime settings of the service's process."),
    ];

    /// <summary>The Markdown text of the reference.</summary>
    public static string Generate()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"""
            # Configuration reference

            <!-- Generated from the options classes by tests/Docs.Tests; do not edit. Regenerate: {RegenerateCommand} -->

            Every key the framework reads, generated from the options classes (their defaults, validation attributes and
            XML docs), so it cannot drift from the code. Keys are shown relative to their section; in `appsettings.json`
            they nest (`"RecFramework": {"{"} "Pipeline": {"{"} "DefaultK": 20 {"}"} {"}"}`), in environment variables they join with
            `__` (`RecFramework__Pipeline__DefaultK=20`). Every section is validated at start-up; how the sections fit
            together, with examples, is in [configuration.md](configuration.md).

            | section | options class |
            |---|---|

            """);
        foreach (var section in Sections)
        {
            md.Append(CultureInfo.InvariantCulture, $"| [`{section.Path}`](#{Anchor(section.Path)}) | `{section.Type.Name}` |\n");
        }

        foreach (var section in Sections)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {section.Path}\n\n{section.Note}\n");
            WriteType(md, section.Path, section.Type, []);
        }

        return md.ToString();
    }

    /// <summary>Properties bound from configuration: public, readable and settable, declared on the class or its bases.</summary>
    public static IEnumerable<PropertyInfo> BoundProperties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0)
        .OrderBy(Order);

    /// <summary>
    /// Option classes nested in <paramref name="type"/> (a property of that class, a list of it, or a map of it by
    /// name), with the key suffix of their entries (<c>""</c>, <c>"[i]"</c> or <c>":{name}"</c>).
    /// </summary>
    public static IEnumerable<(PropertyInfo Property, Type Type, string Suffix)> NestedOptions(Type type)
    {
        foreach (var p in BoundProperties(type))
        {
            if (IsOptionsClass(p.PropertyType) && MapValue(p.PropertyType) is null)
            {
                yield return (p, p.PropertyType, "");
            }
            else if (ListElement(p.PropertyType) is { } element && IsOptionsClass(element))
            {
                yield return (p, element, "[i]");
            }
            else if (MapValue(p.PropertyType) is { } value && IsOptionsClass(value))
            {
                yield return (p, value, ":{name}");
            }
        }
    }

    /// <summary>The Markdown anchor GitHub gives a heading.</summary>
    public static string Anchor(string heading) =>
        new string(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ').ToArray()).Replace(' ', '-');

    private static void WriteType(StringBuilder md, string path, Type type, HashSet<Type> visiting)
    {
        if (!visiting.Add(type))
        {
            return;
        }

        var summary = XmlDocs.Summary(type);
        md.Append(CultureInfo.InvariantCulture, $"\n`{type.Name}`{(summary.Length > 0 ? ": " + summary : "")}\n\n");
        md.Append("| key | type | default | rule | meaning |\n|---|---|---|---|---|\n");
        var instance = Activator.CreateInstance(type, nonPublic: true);
        foreach (var p in BoundProperties(type))
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| `{p.Name}` | {TypeName(p.PropertyType)} | {Default(p, instance)} | {Rules(p)} | {XmlDocs.Summary(p)} |\n");
        }

        foreach (var (property, nested, suffix) in NestedOptions(type))
        {
            var nestedPath = $"{path}:{property.Name}{suffix}";
            md.Append(CultureInfo.InvariantCulture, $"\n### {nestedPath}\n");
            WriteType(md, nestedPath, nested, visiting);
        }

        visiting.Remove(type);
    }

    private static int Order(PropertyInfo p)
    {
        // Base-class properties first (in declaration order), then the class's own.
        var depth = 0;
        for (var t = p.DeclaringType!.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return (depth * 1_000_000) + (p.MetadataToken & 0xFFFFF);
    }

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("RecFramework", StringComparison.Ordinal) == true;

    private static Type? MapValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string) ? type.GetGenericArguments()[1] : null;

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static string TypeName(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return TypeName(nullable) + " (optional)";
        }

        if (type.IsEnum)
        {
            return "enum";
        }

        if (ListElement(type) is { } element)
        {
            return IsOptionsClass(element) ? $"list of `{element.Name}`" : $"list of {TypeName(element)}";
        }

        if (type.IsArray)
        {
            return $"list of {TypeName(type.GetElementType()!)}";
        }

        if (MapValue(type) is { } value && IsOptionsClass(value))
        {
            return $"map of `{value.Name}` by name";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return "map of string";
        }

        if (IsOptionsClass(type))
        {
            return $"`{type.Name}`";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Int32 => "int",
            TypeCode.Int64 => "long",
            TypeCode.Double => "double",
            TypeCode.Single => "float",
            TypeCode.String => "string",
            _ => type.Name,
        };
    }

    private static string Default(PropertyInfo p, object? instance)
    {
        var value = p.GetValue(instance);
        return value switch
        {
            null => "—",
            bool b => b ? "`true`" : "`false`",
            string s => s.Length == 0 ? "`\"\"`" : $"`{s.Replace("|", "\\|", StringComparison.Ordinal)}`",
            Enum e => $"`{e}`",
            IFormattable f when p.PropertyType.IsPrimitive || Nullable.GetUnderlyingType(p.PropertyType)?.IsPrimitive == true => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
            IDictionary { Count: 0 } => "`{}`",
            IEnumerable e and not string when !e.Cast<object>().Any() => "`[]`",
            _ when IsOptionsClass(p.PropertyType) => "see below",
            _ => $"`{JsonSerializer.Serialize(value)}`",
        };
    }

    private static string Rules(PropertyInfo p)
    {
        var rules = new List<string>();
        foreach (var attribute in p.GetCustomAttributes<ValidationAttribute>(inherit: true))
        {
            rules.Add(attribute switch
            {
                RangeAttribute r => $"{Number(r.Minimum)} – {Number(r.Maximum)}",
                RequiredAttribute => "required",
                MinLengthAttribute m => $"length ≥ {m.Length}",
                MaxLengthAttribute m => $"length ≤ {m.Length}",
                RegularExpressionAttribute x => $"matches `{x.Pattern.Replace("|", "\\|", StringComparison.Ordinal)}`",
                _ => attribute.GetType().Name.Replace("Attribute", "", StringComparison.Ordinal),
            });
        }

        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        if (type.IsEnum)
        {
            rules.Add("one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"`{n}`")));
        }

        return rules.Count == 0 ? "" : string.Join("; ", rules);
    }

    private static string Number(object value) => value switch
    {
        int i when i == int.MaxValue => "2³¹−1",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
