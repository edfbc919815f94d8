using System.CommandLine;
using RecFramework.Analysis.Comparison;
using RecFramework.Analysis.Evaluation;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary><c>compare</c>: compares experiment variants across buckets on replayed, simulated or logged traffic.</summary>
internal sealed class CompareCommand : ICliCommand
{
    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset (ML-100K folder, synthetic folder, interaction file) or, with --mode logged, a logged-events JSONL file.", Required = true };
        var config = new Option<string?>("--config") { Description = "JSON configuration with a RecFramework:Experiments section; without it (or without layers in it) the embedded default comparison runs: a 10 % holdout and, on 80 % of the other users, control (popular + itemcf) against treatment (two-tower, itemcf, swing, usercf, popular)." };
        var mode = new Option<string>("--mode") { Description = "replay | simulate | logged.", DefaultValueFactory = _ => "replay" };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON here." };
        var html = new Option<string?>("--html") { Description = "Write the self-contained HTML report here." };
        var events = new Option<string?>("--events") { Description = "Also write the generated requests, exposures and clicks as JSONL here (replay, simulate)." };
        var k = new Option<int>("--k") { Description = "Items per request (the K of @K metrics).", DefaultValueFactory = _ => 20 };
        var days = new Option<int>("--days") { Description = "Simulated days (simulate only; replay cuts the held-out period into 10 equal periods for its daily figures).", DefaultValueFactory = _ => 5 };
        var maxUsers = new Option<int?>("--max-users") { Description = "Use a seeded sample of at most this many users." };
        var seed = new Option<int>("--seed") { Description = "Seed of sampling and simulated clicks.", DefaultValueFactory = _ => 7 };
        var cuped = new Option<bool>("--cuped") { Description = "CUPED variance reduction with each user's pre-period activity." };
        var retention = new Option<string>("--retention-days") { Description = "Comma-separated N of the day-N retention figures (each >= 1).", DefaultValueFactory = _ => "1,7" };
        var command = new Command("compare", """
            Compare experiment variants across buckets: console table, JSON and HTML report. Modes: replay (the held-out
            period of a temporal split through the real router and pipeline; an exposed held-out item counts as a click),
            simulate (days of traffic on synthetic data with its ground-truth click model), logged (a logged-events
            JSONL file, the format the service writes to RecFramework:ExposureLog:Path: request, exposure and click lines
            with the user's assignment; docs/comparison.md). Exit code 3 when a sample-ratio mismatch is flagged.
            """)
        {
            data, config, mode, json, html, events, k, days, maxUsers, seed, cuped, retention,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var modeText = result.GetValue(mode)!;
            if (!Enum.TryParse<ComparisonMode>(modeText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"--mode '{modeText}' is not replay, simulate or logged.");
            }

            var retentionText = result.GetValue(retention)!;
            var retentionDays = new List<int>();
            foreach (var part in retentionText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    throw new RecFrameworkException(RecError.InvalidArgument, $"--retention-days '{part}' is not a whole number of days >= 1.");
                }

                retentionDays.Add(n);
            }

            var settings = new ComparisonSettings
            {
                DataPath = result.GetValue(data)!,
                ConfigFile = result.GetValue(config),
                Configuration = HostComposition.LoadConfiguration(),
                ConfigureServices = HostComposition.AddHostChannels,
                Mode = parsed,
                JsonPath = result.GetValue(json),
                HtmlPath = result.GetValue(html),
                EventsPath = result.GetValue(events),
                K = result.GetValue(k),
                Days = result.GetValue(days),
                MaxUsers = result.GetValue(maxUsers),
                Seed = result.GetValue(seed),
                Cuped = result.GetValue(cuped),
                RetentionDays = retentionDays,
            };
            var report = await ComparisonRunner.RunAsync(settings, AnsiConsole.Console, cancellationToken).ConfigureAwait(false);
            return report.AnySrm ? 3 : 0;
        }));
        return command;
    }
}
