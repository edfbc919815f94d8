using System.Globalization;
using RecFramework.Experiments.Analysis;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// Renders a <see cref="ComparisonReport"/> as Spectre.Console tables, one per layer. A layer is one row per group
/// (<see cref="WideHeaders"/>) when that fits: always when the output is redirected (files, CI logs have no width, so
/// the table is drawn at its natural width instead of Spectre's 80-column default), and in a terminal wide enough.
/// A narrower terminal gets the same headline figures transposed (one column per group, 3 decimals). SRM failures are
/// printed in red per layer and once more at the end.
/// </summary>
public static class ComparisonConsole
{
    /// <summary>Row labels of the transposed (narrow) table.</summary>
    private static readonly string[] NarrowFigures = ["users", "obs/exp", "CTR", "  lift", "hit rate", "  lift", "recall", "  lift", "NDCG", "coverage"];

    /// <summary>Writes the headline tables.</summary>
    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.MarkupLine(Markup.Escape(
            $"{report.Source} on {report.Dataset}: {report.Users:N0} users, {report.Requests:N0} requests, {report.Exposures:N0} exposures, {report.Clicks:N0} clicks"));
        console.MarkupLine(Markup.Escape(
            $"{report.Days} day(s), K = {report.K}; {report.Confidence.ToString("0%", CultureInfo.InvariantCulture)} intervals, Holm-adjusted p, CUPED {(report.Cuped ? "on" : "off")}"));
        foreach (var layer in report.Layers)
        {
            console.WriteLine();
            WriteLayer(console, report, layer);
            ComparisonEngagementTable.Write(console, report, layer);
        }

        ComparisonInterleaving.Write(console, report);

        foreach (var warning in report.Warnings)
        {
            console.MarkupLine($"[yellow]Warning: {Markup.Escape(warning)}[/]");
        }

        var failed = report.Layers.Where(l => l.SrmFlagged).Select(l => l.Layer).ToList();
        console.WriteLine();
        if (failed.Count > 0)
        {
            console.MarkupLine($"[bold red]!!! SAMPLE RATIO MISMATCH in layer(s) {Markup.Escape(string.Join(", ", failed))}: do not trust their lifts until the cause is found.[/]");
        }
        else if (report.Layers.Any(l => l.SrmPValue is not null))
        {
            console.MarkupLine("[green]SRM check passed in every layer.[/]");
        }

        console.MarkupLine("[grey]Every figure, exact p-values and the charts: the JSON and HTML reports.[/]");
    }

    /// <summary>Column headers of the one-row-per-group table.</summary>
    public static IReadOnlyList<string> WideHeaders(int k, double confidence)
    {
        var ci = confidence.ToString("0%", CultureInfo.InvariantCulture);
        return ["group", "users", "obs/exp", $"CTR ±{ci} CI", "CTR lift", $"hit rate ±{ci}", "hit lift",
            ComparisonFormat.AtK("recall", k) + " ±", "recall lift", ComparisonFormat.AtK("NDCG", k) + " ±", "coverage"];
    }

    /// <summary>Cells of one group's row in the wide table (4 decimals; lifts relative with Holm-adjusted p).</summary>
    public static IReadOnlyList<string> WideRow(VariantReport v) =>
    [
        v.Variant,
        v.Users.ToString("N0", CultureInfo.InvariantCulture),
        ComparisonFormat.Shares(v),
        ComparisonFormat.PlusMinus(v.Ctr, 4),
        ComparisonFormat.Lift(v, "ctr"),
        ComparisonFormat.PlusMinus(v.HitRate, 3),
        ComparisonFormat.Lift(v, "hit_rate"),
        v.RecallAtK is { } r ? ComparisonFormat.PlusMinus(r, 4) : "-",
        ComparisonFormat.Lift(v, "recall_at_k"),
        v.NdcgAtK is { } n ? ComparisonFormat.PlusMinus(n, 4) : "-",
        ComparisonFormat.Coverage(v),
    ];

    /// <summary>Width of a rounded table with these cells at their natural size (padding 1 + border per column).</summary>
    public static int NaturalWidth(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        return widths.Sum() + 3 * widths.Length + 1;
    }

    /// <summary>
    /// Group labels for the narrow table: the experiment prefix is dropped when the layer's groups belong to at most one
    /// experiment (the title names it).
    /// </summary>
    public static (IReadOnlyList<string> Labels, string? Experiment) ShortLabels(LayerReport layer)
    {
        var experiments = layer.Variants.Select(v => v.Experiment).Where(e => e is not null).Distinct(StringComparer.Ordinal).ToList();
        if (experiments.Count != 1)
        {
            return (layer.Variants.Select(v => v.Variant).ToList(), null);
        }

        var prefix = experiments[0] + "/";
        return (layer.Variants.Select(v => v.Variant.StartsWith(prefix, StringComparison.Ordinal) ? v.Variant[prefix.Length..] : v.Variant).ToList(), experiments[0]);
    }

    private static void WriteLayer(IAnsiConsole console, ComparisonReport report, LayerReport layer)
    {
        // Replay has ranking metrics; simulated and logged traffic do not: drop their columns (and rows) then.
        var ranked = layer.Variants.Any(v => v.RecallAtK is not null);
        var keep = Enumerable.Range(0, WideHeaders(report.K, report.Confidence).Count).Where(i => ranked || i is < 7 or > 9).ToArray();
        var headers = keep.Select(i => WideHeaders(report.K, report.Confidence)[i]).ToList();
        var rows = layer.Variants.Select(v => (IReadOnlyList<string>)keep.Select(i => WideRow(v)[i]).ToList()).ToList();
        var natural = NaturalWidth(headers, rows);
        var redirected = !console.Profile.Out.IsTerminal;
        var title = $"layer {layer.Layer} ({layer.Users:N0} users)";
        if (redirected || natural <= console.Profile.Width)
        {
            var table = NewTable(title);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
            }

            table.Columns[0].LeftAligned();
            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            var width = console.Profile.Width;
            try
            {
                console.Profile.Width = Math.Max(width, natural);
                console.Write(table);
            }
            finally
            {
                console.Profile.Width = width;
            }
        }
        else
        {
            console.Write(NarrowTable(layer, title, report.K, ranked));
        }

        console.MarkupLine(Markup.Escape($"lift vs control; p Holm-adjusted; * significant at {report.Alpha.ToString(CultureInfo.InvariantCulture)}; ± CI half-width"));
        if (layer.SrmFlagged)
        {
            console.MarkupLine($"[bold red]{Markup.Escape(layer.SrmMessage ?? "SAMPLE RATIO MISMATCH")}[/]");
        }
        else if (layer.SrmPValue is { } p)
        {
            console.MarkupLine($"[green]SRM check passed[/] (chi-square p = {p.ToString("0.000", CultureInfo.InvariantCulture)})");
        }

        ComparisonSequential.Write(console, layer);
    }

    private static Table NarrowTable(LayerReport layer, string title, int k, bool ranked)
    {
        var (labels, experiment) = ShortLabels(layer);
        var table = NewTable(experiment is null ? title : $"{title}, experiment {experiment}");
        table.AddColumn(new TableColumn(Markup.Escape(k > 0 ? $"K = {k}" : "")));
        foreach (var label in labels)
        {
            table.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
        }

        foreach (var (figure, index) in NarrowFigures.Select((f, i) => (f, i)).Where(f => ranked || f.i is < 6 or > 8))
        {
            var cells = new List<string> { figure };
            cells.AddRange(layer.Variants.Select(v => NarrowCell(v, index)));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        return table;
    }

    private static string NarrowCell(VariantReport v, int figure) => figure switch
    {
        0 => v.Users.ToString("N0", CultureInfo.InvariantCulture),
        1 => ComparisonFormat.Shares(v),
        2 => ComparisonFormat.PlusMinus(v.Ctr, 3),
        3 => ComparisonFormat.Lift(v, "ctr", compact: true),
        4 => ComparisonFormat.PlusMinus(v.HitRate, 3),
        5 => ComparisonFormat.Lift(v, "hit_rate", compact: true),
        6 => v.RecallAtK is { } r ? ComparisonFormat.PlusMinus(r, 3) : "-",
        7 => ComparisonFormat.Lift(v, "recall_at_k", compact: true),
        8 => v.NdcgAtK is { } n ? ComparisonFormat.PlusMinus(n, 3) : "-",
        _ => ComparisonFormat.Coverage(v),
    };

    private static Table NewTable(string title) => new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
}
