using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Diagnostics;
using RecFramework.Evaluation;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// Runs a comparison end to end: traffic (replay, simulation or a logged-events file) through the real router and
/// pipeline, the statistics of <see cref="ExperimentAnalyzer"/>, then a console table, a JSON file and an HTML report.
/// The <c>compare</c> command and the <c>demo</c> call this.
/// </summary>
public static class ComparisonRunner
{
    /// <summary>Runs the comparison described by <paramref name="settings"/> and writes the requested outputs.</summary>
    public static async Task<ComparisonReport> RunAsync(ComparisonSettings settings, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        settings.Validate();
        await using var environment = ComparisonEnvironment.Create(settings);
        var (log, dataset) = settings.Mode switch
        {
            ComparisonMode.Replay => await ReplayAsync(environment, settings, console, cancellationToken).ConfigureAwait(false),
            ComparisonMode.Simulate => await SimulateAsync(environment, settings, console, cancellationToken).ConfigureAwait(false),
            ComparisonMode.Logged => (ReadLogged(settings.DataPath, console), Path.GetFileName(settings.DataPath)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Mode, "Unknown comparison mode."),
        };

        if (settings.EventsPath is not null && settings.Mode != ComparisonMode.Logged)
        {
            await LoggedEventsFile.WriteAsync(log, settings.EventsPath, cancellationToken).ConfigureAwait(false);
        }

        var plan = LoggedAnalysis.Prepare(log, environment.Experiments, new AnalysisOptions { Cuped = settings.Cuped, RetentionDays = settings.RetentionDays });
        if (plan.Warning is not null)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(plan.Warning)}[/]");
        }

        var report = ExperimentAnalyzer.Analyze(plan.Log, plan.Options, settings.Mode.ToString().ToLowerInvariant(), dataset);
        ComparisonConsole.Write(console, report);
        if (settings.JsonPath is not null)
        {
            await ComparisonJson.WriteAsync(report, settings.JsonPath, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"JSON report: {Markup.Escape(Path.GetFullPath(settings.JsonPath))}");
        }

        if (settings.HtmlPath is not null)
        {
            await ComparisonHtml.WriteAsync(report, settings.HtmlPath, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"HTML report: {Markup.Escape(Path.GetFullPath(settings.HtmlPath))}");
        }

        return report;
    }

    private static async Task<(ExperimentLog, string)> ReplayAsync(ComparisonEnvironment environment, ComparisonSettings settings, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var data = DatasetLoader.Load(settings.DataPath);
        var split = TemporalSplit.Split(data, settings.TestFraction);
        console.MarkupLine(Markup.Escape($"{data.Name}: {split.Protocol}, {split.Test.Count:N0} test users, channels {string.Join(", ", environment.Channels)}"));
        await environment.PrepareAsync(split.Train, settings.Seed, s => console.MarkupLine(Markup.Escape(s)), cancellationToken).ConfigureAwait(false);
        var users = settings.MaxUsers is { } m ? Math.Min(m, split.Test.Count) : split.Test.Count;
        var log = await WithProgressAsync(console, $"replaying {users:N0} users", users,
            progress => ReplaySource.RunAsync(environment, data, split, settings, progress, cancellationToken)).ConfigureAwait(false);
        return (log, data.Name);
    }

    private static async Task<(ExperimentLog, string)> SimulateAsync(ComparisonEnvironment environment, ComparisonSettings settings, IAnsiConsole console, CancellationToken cancellationToken)
    {
        GroundTruthModel truth;
        try
        {
            truth = SyntheticGenerator.LoadTruth(settings.DataPath);
        }
        catch (RecFrameworkException ex)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"--mode simulate needs synthetic data with its synthetic.json (from the generator); '{settings.DataPath}' has none: {ex.Message}");
        }

        var data = DatasetLoader.Load(settings.DataPath);
        await environment.PrepareAsync(data, settings.Seed, s => console.MarkupLine(Markup.Escape(s)), cancellationToken).ConfigureAwait(false);
        var users = data.Interactions.Select(e => e.UserId).Distinct().Count();
        users = settings.MaxUsers is { } m ? Math.Min(m, users) : users;
        var log = await WithProgressAsync(console, $"simulating {settings.Days} days × {users:N0} users", settings.Days * users,
            progress => SimulationSource.RunAsync(environment, data, truth, settings, progress, cancellationToken)).ConfigureAwait(false);
        return (log, data.Name);
    }

    private static async Task<ExperimentLog> WithProgressAsync(IAnsiConsole console, string title, int total, Func<IProgress<int>, Task<ExperimentLog>> run)
    {
        ExperimentLog? log = null;
        await console.Progress().AutoClear(false).StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
            // Reported synchronously: Progress<T> posts to the thread pool, so late callbacks could overwrite the final
            // value (redirected output showed "replaying 943 users: 92%" after the replay had finished).
            log = await run(new InlineProgress<int>(done => task.Value = Math.Max(task.Value, done))).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        if (!console.Profile.Capabilities.Interactive)
        {
            // The non-interactive renderer prints percentages now and then, not necessarily the last one.
            console.MarkupLine(Markup.Escape($"{title}: done"));
        }

        return log!;
    }

    /// <summary>Reads a logged-events file (and its rotated set); skipped bad lines are counted on the console.</summary>
    private static ExperimentLog ReadLogged(string path, IAnsiConsole console)
    {
        var log = LoggedEventsFile.Read(path, out var report);
        if (report.SkippedLines > 0)
        {
            console.MarkupLine($"[yellow]Skipped {report.SkippedLines} unreadable line(s) of {report.Lines} in {report.Files.Count} file(s); first: {Markup.Escape(report.Problems[0])}[/]");
        }

        return log;
    }
}
