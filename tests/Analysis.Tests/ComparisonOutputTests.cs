using System.Text;
using RecFramework.Experiments.Analysis;
using RecFramework.Analysis.Comparison;
using RecFramework.Experiments.Logging;
using Spectre.Console;

namespace RecFramework.Analysis.Tests;

/// <summary>The console tables (redirected, narrow and wide terminals) and the HTML report of a comparison.</summary>
public sealed class ComparisonOutputTests
{
    [Fact]
    public void RedirectedOutputKeepsEveryGroupOnOneReadableLine()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer) });
        Assert.Equal(80, console.Profile.Width); // what Spectre assumes for a file or a CI log

        ComparisonConsole.Write(console, Report(srm: false));

        var lines = writer.ToString().Split('\n');
        var treatment = Assert.Single(lines, l => l.Contains("channel-mix/treatment", StringComparison.Ordinal) && l.Contains('│', StringComparison.Ordinal));
        var cells = treatment.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ComparisonConsole.WideHeaders(20, 0.95).Count, cells.Length);
        Assert.Equal("channel-mix/treatment", cells[0]);
        Assert.Matches(@"^0\.\d{4}±0\.\d{4}$", cells[3]);
        Assert.Matches(@"^[+-]\d+\.\d% \(p[<=]0\.\d{3}\)\*?$", cells[4]);
        Assert.Single(lines, l => l.Contains("channel-mix/control", StringComparison.Ordinal) && l.Contains(ComparisonFormat.ControlCell, StringComparison.Ordinal));
        Assert.Contains("SRM check passed in every layer", writer.ToString(), StringComparison.Ordinal);
        // The decision of the experiment variant follows the layer's table on its own line.
        Assert.Single(lines, l => l.StartsWith("channel-mix/treatment: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void NarrowTerminalGetsTheTransposedTableWithinItsWidth(int width)
    {
        var (console, output) = Terminal(width);

        ComparisonConsole.Write(console, Report(srm: false));

        var text = output.ToString();
        var tableLines = text.Split('\n').Where(l => l.StartsWith('│') || l.StartsWith('╭') || l.StartsWith('╰')).ToList();
        Assert.NotEmpty(tableLines);
        Assert.All(tableLines, l => Assert.True(l.TrimEnd().Length <= width, $"{l.TrimEnd().Length} > {width}: {l}"));
        var header = tableLines.First(l => l.Contains("treatment", StringComparison.Ordinal));
        Assert.Equal(["K = 20", "control", "treatment", "default", "holdout"], header.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var ctr = tableLines.First(l => l.StartsWith("│ CTR", StringComparison.Ordinal)).Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.All(ctr.Skip(1), c => Assert.Matches(@"^0\.\d{3}±0\.\d{3}$", c));
        Assert.Contains("experiment channel-mix", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WideTerminalGetsOneRowPerGroup()
    {
        var (console, output) = Terminal(250);

        ComparisonConsole.Write(console, Report(srm: false));

        Assert.Contains(output.ToString().Split('\n'), l => l.Contains("channel-mix/treatment", StringComparison.Ordinal) && l.Contains("±", StringComparison.Ordinal));
    }

    [Fact]
    public void SampleRatioMismatchIsFlaggedLoudlyInTheConsoleAndAtTheTopOfTheHtml()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer) });
        var report = Report(srm: true);
        Assert.True(report.AnySrm);

        ComparisonConsole.Write(console, report);
        var html = ComparisonHtml.Render(report);

        Assert.Contains("SAMPLE RATIO MISMATCH: chi-square", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("!!! SAMPLE RATIO MISMATCH in layer(s) recall", writer.ToString(), StringComparison.Ordinal);
        var banner = html.IndexOf("<div class=\"srm\">", StringComparison.Ordinal);
        Assert.True(banner >= 0 && banner < html.IndexOf("<h2>", StringComparison.Ordinal), "the SRM verdict comes before the first layer");
        Assert.Contains("SAMPLE RATIO MISMATCH in layer(s) recall", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlReportHasEveryChartAndTheChannelShares()
    {
        var html = ComparisonHtml.Render(Report(srm: false));

        // Per layer: lifts, CTR, hit rate, recall, NDCG, daily CTR, users; the holdout-vs-rest pseudo layer likewise.
        Assert.Equal(14, CountOf(html, "data:image/png;base64,"));
        Assert.Contains("alt=\"relative lift per group and metric with confidence intervals\"", html, StringComparison.Ordinal);
        Assert.Contains("Share of exposures / share of clicks per recall channel", html, StringComparison.Ordinal);
        Assert.Contains("recall@20 [CI]", html, StringComparison.Ordinal);
        Assert.Contains("Sample-ratio check passed in every layer", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// A replay-like report: channel-mix control / treatment (treatment clicks more), a default group and a 10 % holdout;
    /// with <paramref name="srm"/> the treatment keeps only half of its users.
    /// </summary>
    private static ComparisonReport Report(bool srm)
    {
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        var relevant = new Dictionary<long, int>();
        var random = new Random(5);
        for (long user = 1; user <= 2000; user++)
        {
            var holdout = user % 10 == 0;
            var (experiment, variant, rate) = holdout ? (null, "holdout", 0.05) : (user % 10) switch
            {
                < 5 => ("channel-mix", "control", 0.06),
                < 9 => ("channel-mix", "treatment", 0.09),
                _ => ((string?)null, "default", 0.05),
            };
            if (srm && variant == "treatment" && user % 2 == 0)
            {
                continue;
            }

            var stamp = new AssignmentStamp(holdout, "v1", [new LayerStamp("recall", experiment, variant, (int)(user % 100), false)]);
            var id = $"r{user}";
            requests.Add(new RequestRecord(id, user, (int)(user % 3), 20, stamp));
            for (var position = 0; position < 20; position++)
            {
                var channel = position % 2 == 0 ? "itemcf" : "popular";
                exposures.Add(new ExposureRecord(id, user, (int)(user % 3), position, position, channel, stamp));
                if (random.NextDouble() < rate)
                {
                    clicks.Add(new ClickRecord(id, user, (int)(user % 3), position, position, channel, stamp));
                }
            }

            relevant[user] = 5;
        }

        var shares = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["recall"] = new Dictionary<string, double> { ["channel-mix/control"] = 0.4, ["channel-mix/treatment"] = 0.4, ["default"] = 0.1, ["holdout"] = 0.1 },
            [ExperimentAnalyzer.HoldoutLayer] = new Dictionary<string, double> { ["holdout"] = 0.1, [ExperimentAnalyzer.RestLabel] = 0.9 },
        };
        var log = new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks, RelevantCounts = relevant, CatalogSize = 100 };
        return ExperimentAnalyzer.Analyze(log, new AnalysisOptions { ExpectedShares = shares }, "replay", "fixture");
    }

    private static (IAnsiConsole Console, StringWriter Output) Terminal(int width)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.Yes, Out = new TerminalOutput(output, width) });
        return (console, output);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>A terminal of a given width writing into a buffer.</summary>
    private sealed class TerminalOutput(TextWriter writer, int width) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => true;

        public int Width => width;

        public int Height => 50;

        public void SetEncoding(Encoding encoding)
        {
        }
    }
}
