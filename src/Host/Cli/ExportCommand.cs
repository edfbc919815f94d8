using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels.TwoTower;
using RecFramework.Data;
using RecFramework.Export.Parquet;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>export --out DIR (--data PATH | --from-log [--since 24h] [--until T] [--data PROFILES])</c>: writes the training
/// data of the two-tower channel as Parquet (<see cref="TrainingDataExporter"/>), events partitioned by day.
/// </summary>
internal sealed class ExportCommand : ICliCommand
{
    public Command Create()
    {
        var defaults = new TrainingExportOptions();
        var output = new Option<string>("--out") { Description = "Export directory (events/date=…/part-….parquet, users.parquet, items.parquet, schema.json).", Required = true };
        var data = new Option<string?>("--data") { Description = "Dataset: an ML-100K folder, a generated folder or an interaction file. With --from-log: the data set giving profiles." };
        var fromLog = new Option<bool>("--from-log") { Description = "Export a time window of the event log (RecFramework:Stores:EventsPath, or the Redis stream)." };
        var since = new Option<string?>("--since") { Description = "With --from-log: start of the window, a duration back from now (30m, 24h, 7d) or a time. Default 24h." };
        var until = new Option<string?>("--until") { Description = "With --from-log: end of the window (exclusive). Default now." };
        var rowGroup = new Option<int>("--row-group-size") { Description = "Rows per Parquet row group.", DefaultValueFactory = _ => defaults.RowGroupSize };
        var openDays = new Option<int>("--max-open-days") { Description = "Day partitions open at once (memory: open days × row group size events).", DefaultValueFactory = _ => defaults.MaxOpenDays };
        var channel = new Option<string>("--channel") { Description = "Two-tower channel whose options give the feature schema.", DefaultValueFactory = _ => defaults.TwoTowerChannel };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an export already in --out." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var command = new Command("export", "Export training data (events by day, profiles, feature schema) as Parquet for training elsewhere.")
        {
            output, data, fromLog, since, until, rowGroup, openDays, channel, overwrite, config,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var options = new TrainingExportOptions
            {
                RowGroupSize = Positive("--row-group-size", result.GetValue(rowGroup)),
                MaxOpenDays = Positive("--max-open-days", result.GetValue(openDays)),
                Overwrite = result.GetValue(overwrite),
                TwoTowerChannel = result.GetValue(channel)!,
            };
            var log = result.GetValue(fromLog);
            if (!log && (result.GetValue(since) is not null || result.GetValue(until) is not null))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, "--since and --until select a window of the event log: add --from-log.");
            }

            var dataPath = result.GetValue(data);
            var configuration = HostComposition.LoadConfiguration(result.GetValue(config));
            var services = new ServiceCollection();
            services.AddRecFrameworkHost(configuration);
            await using var provider = services.BuildServiceProvider();
            options = options with { TwoTower = provider.TwoTowerOptionsOf(options.TwoTowerChannel) };
            var directory = result.GetValue(output)!;
            var watch = Stopwatch.StartNew();
            TrainingExportReport? report = null;
            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ElapsedTimeColumn()).StartAsync(async context =>
            {
                var task = context.AddTask("export", maxValue: 1);
                var progress = new Progress<TrainingExportProgress>(p => task.Description = Markup.Escape($"export: {p.Stage}, {p.Events:N0} events"));
                if (log)
                {
                    var window = EventLogInput.Window(provider, result.GetValue(since) ?? "24h", result.GetValue(until));
                    var profiles = dataPath is null ? null : DatasetLoader.Load(dataPath);
                    var source = EventLogInput.Source(provider, HostComposition.UsesRedis(configuration));
                    report = await TrainingDataExporter.ExportAsync(source, window, profiles, directory, options, progress, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var dataset = DatasetLoader.Load(dataPath ?? throw new RecFrameworkException(RecError.InvalidArgument, "Give the data to export: --data PATH, or --from-log [--since 24h]."));
                    report = await TrainingDataExporter.ExportAsync(dataset, directory, options, progress, cancellationToken).ConfigureAwait(false);
                }

                task.Value = 1;
            }).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            AnsiConsole.MarkupLine(Markup.Escape($"exported {report!.Events:N0} events ({report.Skipped:N0} skipped) in {report.Days.Count} days, {report.RowGroups} row groups, "
                + $"{report.Users:N0} users, {report.Items:N0} items to {report.Directory} in {seconds:0.0} s ({report.Events / Math.Max(seconds, 1e-9):N0} rows/s)"));
            if (report.Events == 0)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"No events to export (the window or data set is empty); {report.Directory} holds an export with no events.");
            }

            return 0;
        }));
        return command;
    }

    private static int Positive(string option, int value) => value >= 1 ? value
        : throw new RecFrameworkException(RecError.InvalidArgument, $"{option} must be at least 1; got {value}.");
}
