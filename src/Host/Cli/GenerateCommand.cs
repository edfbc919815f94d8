using System.CommandLine;
using System.Diagnostics;
using RecFramework.Channels;
using RecFramework.Data.Synthetic;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>generate --out DIR [--users N --items N --interactions N --clusters N --days N --seed N]</c>: writes a synthetic
/// dataset (interactions.csv, users.csv, items.csv, synthetic.json) readable by <c>--data DIR</c>.
/// </summary>
internal sealed class GenerateCommand : ICliCommand
{
    public Command Create()
    {
        var defaults = new SyntheticOptions();
        var output = new Option<string>("--out") { Description = "Output directory.", Required = true };
        var users = new Option<int>("--users") { Description = "Number of users.", DefaultValueFactory = _ => defaults.Users };
        var items = new Option<int>("--items") { Description = "Number of items.", DefaultValueFactory = _ => defaults.Items };
        var interactions = new Option<long>("--interactions") { Description = "Number of events (impressions included).", DefaultValueFactory = _ => defaults.Interactions };
        var clusters = new Option<int>("--clusters") { Description = "Latent interest clusters.", DefaultValueFactory = _ => defaults.Clusters };
        var days = new Option<int>("--days") { Description = "Days the timestamps span.", DefaultValueFactory = _ => defaults.Days };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed → byte-identical files).", DefaultValueFactory = _ => defaults.Seed };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of item popularity.", DefaultValueFactory = _ => defaults.ZipfExponent };
        var noImpressions = new Option<bool>("--no-impressions") { Description = "Write positive events only." };
        var noFeatures = new Option<bool>("--no-features") { Description = "Do not generate user and item profiles." };
        var command = new Command("generate", "Generate a deterministic synthetic dataset with latent clusters and a ground-truth click model.")
        {
            output, users, items, interactions, clusters, days, seed, zipf, noImpressions, noFeatures,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() =>
        {
            var options = new SyntheticOptions
            {
                Users = result.GetValue(users),
                Items = result.GetValue(items),
                Interactions = result.GetValue(interactions),
                Clusters = result.GetValue(clusters),
                Days = result.GetValue(days),
                Seed = result.GetValue(seed),
                ZipfExponent = result.GetValue(zipf),
                IncludeImpressions = !result.GetValue(noImpressions),
                Features = !result.GetValue(noFeatures),
            };
            options.Validate();
            var directory = result.GetValue(output)!;
            var watch = Stopwatch.StartNew();
            SyntheticData? data = null;
            AnsiConsole.Progress().AutoClear(false).Start(ctx =>
            {
                var generate = ctx.AddTask("generate", maxValue: 1);
                data = SyntheticGenerator.Generate(options, new Progress<BuildProgress>(p => generate.Value = p.Fraction), cancellationToken);
                generate.Value = 1;
                var write = ctx.AddTask("write", maxValue: 1);
                SyntheticGenerator.Write(data, directory, new Progress<BuildProgress>(p => write.Value = p.Fraction), cancellationToken);
                write.Value = 1;
            });
            var events = data!.Dataset.Interactions;
            var positives = events.Count(e => e.IsPositive);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.GetFullPath(directory))}[/]: {events.Length:N0} events ({positives:N0} positive), "
                + $"{options.Users:N0} users, {options.Items:N0} items, {options.Clusters} clusters, seed {options.Seed} in {watch.Elapsed.TotalSeconds:0.0} s");
            return Task.FromResult(0);
        }));
        return command;
    }
}
