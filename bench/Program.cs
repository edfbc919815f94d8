using System.Globalization;
using System.Text.Json;
using RecFramework.Bench;
using RecFramework.Bench.Serve;
using Spectre.Console;

// Usage: dotnet run -c Release --project bench -- <name> [--quick] [--json PATH] [benchmark options]
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToDictionary(b => b.Name, StringComparer.Ordinal);

if (args.Length > 0 && args[0] == RemoteLoad.Mode)
{
    return await RemoteLoad.MainAsync(args);
}

if (args.Length > 0 && args[0] == FreshnessBenchmark.BuildMode)
{
    return await FreshnessBenchmark.BuildMainAsync(args);
}

if (args is ["--list"])
{
    foreach (var name in benchmarks.Keys)
    {
        Console.WriteLine(name);
    }

    return 0;
}

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine(args.Length == 0 ? "usage: bench <name> [--quick] [--json PATH]" : $"unknown benchmark '{args[0]}'");
    foreach (var b in benchmarks.Values)
    {
        Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
    }

    return 2;
}

if (benchmark is ServeBenchmark or ServeCostBenchmark && ServeBenchmark.RelaunchWithServiceRuntime(args) is { } exitCode)
{
    return exitCode;
}

var rest = args.Skip(1).ToList();
var quick = rest.Remove("--quick");
string? json = null;
var jsonAt = rest.IndexOf("--json");
if (jsonAt >= 0)
{
    if (jsonAt + 1 >= rest.Count)
    {
        Console.Error.WriteLine("--json needs a path");
        return 2;
    }

    json = rest[jsonAt + 1];
    rest.RemoveRange(jsonAt, 2);
}

IReadOnlyDictionary<string, double> figures;
try
{
    figures = await benchmark.RunAsync(new BenchContext(quick, rest), CancellationToken.None);
}
catch (ArgumentException ex) when (ex.ParamName is null)
{
    // A bad option (the benchmarks' own checks throw without a parameter name: a number out of range, --config without
    // key=value): its reason and exit code 2, not a stack trace. Arguments rejected deeper in the code keep theirs.
    Console.Error.WriteLine($"{benchmark.Name}: {ex.Message}");
    return 2;
}

var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
foreach (var (name, value) in figures)
{
    table.AddRow(Markup.Escape(name), value.ToString("G6", CultureInfo.InvariantCulture));
}

AnsiConsole.Write(new Rule($"{benchmark.Name}{(quick ? " (quick)" : "")}"));
AnsiConsole.Write(table);
if (json is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
    // A figure that was not measured (NaN, e.g. the validation figure of an update that holds no slice out) is null:
    // JSON has no NaN.
    var written = figures.ToDictionary(f => f.Key, f => double.IsFinite(f.Value) ? f.Value : (double?)null);
    await File.WriteAllTextAsync(json, JsonSerializer.Serialize(written, new JsonSerializerOptions { WriteIndented = true }));
}

if (benchmark is IVerifyingBenchmark verifying && verifying.Failures(figures) is { Count: > 0 } failures)
{
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"{benchmark.Name}: FAILED: {failure}");
    }

    return 1;
}

return 0;
