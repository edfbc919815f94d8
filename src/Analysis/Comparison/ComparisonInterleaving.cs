using System.Globalization;
using System.Net;
using System.Text;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Interleaving;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>The interleaving experiments of a <see cref="ComparisonReport"/> in the console and HTML reports: one row per pair of variants.</summary>
internal static class ComparisonInterleaving
{
    private static readonly string[] Headers = ["A vs B", "users W/L/T", "requests W/L/T", "A share [CI]", "delta", "p", "p (Holm)", "preferred"];

    /// <summary>One table per experiment, drawn at its natural width (a redirected output or a narrow terminal wraps nothing).</summary>
    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        foreach (var experiment in report.Interleaving)
        {
            console.WriteLine();
            console.MarkupLine(Markup.Escape(Title(experiment)));
            var rows = experiment.Pairs.Select(p => (IReadOnlyList<string>)Cells(p)).ToList();
            var table = new Table().RoundedBorder();
            foreach (var header in Headers)
            {
                table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            var width = console.Profile.Width;
            try
            {
                console.Profile.Width = Math.Max(width, ComparisonConsole.NaturalWidth(Headers, rows));
                console.Write(table);
            }
            finally
            {
                console.Profile.Width = width;
            }
        }
    }

    public static void Append(StringBuilder html, ComparisonReport report)
    {
        foreach (var experiment in report.Interleaving)
        {
            html.Append("<h2>").Append(E(Title(experiment))).Append("</h2>");
            html.Append("<p class=\"note\">Positive events are credited to the variant that placed the item; a user prefers the variant with more credit over their requests; ties are left out of the two-sided exact sign test. ")
                .Append("Interleaving measures preference, not retention or revenue: confirm a winner with an A/B test (docs/experiments.md).</p>");
            html.Append("<table><tr>");
            foreach (var header in Headers)
            {
                html.Append("<th>").Append(E(header)).Append("</th>");
            }

            html.Append("</tr>");
            foreach (var pair in experiment.Pairs)
            {
                html.Append(pair.Preferred is null ? "<tr>" : "<tr class=\"sig\">");
                foreach (var cell in Cells(pair))
                {
                    html.Append("<td>").Append(E(cell)).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }
    }

    private static string Title(InterleavingReport experiment) => string.Create(CultureInfo.InvariantCulture,
        $"Interleaving {experiment.Layer}/{experiment.Experiment}: {experiment.Users:N0} users, {experiment.Requests:N0} requests, credits {string.Join(", ", experiment.Credits.Select(c => $"{c.Key} {c.Value:N0}"))} (alpha {experiment.Alpha})");

    private static string[] Cells(InterleavingPair pair) =>
    [
        $"{pair.A} vs {pair.B}",
        Outcome(pair.PerUser),
        Outcome(pair.PerRequest),
        pair.WinShare is { } share ? string.Create(CultureInfo.InvariantCulture, $"{share:0.000} [{pair.WinShareLow:0.000}, {pair.WinShareHigh:0.000}]") : "-",
        pair.Delta.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture),
        pair.PValue.ToString("G3", CultureInfo.InvariantCulture),
        pair.AdjustedPValue.ToString("G3", CultureInfo.InvariantCulture),
        pair.Preferred ?? "none",
    ];

    private static string Outcome(InterleavingOutcome o) => string.Create(CultureInfo.InvariantCulture, $"{o.Wins:N0}/{o.Losses:N0}/{o.Ties:N0}");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
