using System.Globalization;
using RecFramework.Experiments.Analysis;
using Spectre.Console;

namespace RecFramework.Host.Comparison;

/// <summary>Renders a <see cref="ComparisonReport"/> as Spectre.Console tables, one per layer, SRM flagged in red.</summary>
internal static class ComparisonConsole
{
    /// <summary>Writes the headline tables.</summary>
    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.MarkupLine(Markup.Escape(
            $"{report.Source} on {report.Dataset}: {report.Users:N0} users, {report.Requests:N0} requests, {report.Exposures:N0} exposures, " +
            $"{report.Clicks:N0} clicks over {report.Days} day(s); {report.Confidence:P0} intervals, Holm-adjusted p, CUPED {(report.Cuped ? "on" : "off")}"));
        foreach (var layer in report.Layers)
        {
            var table = new Table().Title(Markup.Escape($"layer {layer.Layer}")).Border(TableBorder.Rounded);
            foreach (var column in CompactHeaders)
            {
                table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
            }

            foreach (var v in layer.Variants)
            {
                table.AddRow(CompactRow(v).Select(Markup.Escape).ToArray());
            }

            console.Write(table);
            console.MarkupLine("[grey]* control; lifts are relative to it with Holm-adjusted p; ! = significant. Full figures in the JSON/HTML report.[/]");
            if (layer.SrmFlagged)
            {
                console.MarkupLine($"[bold red]{Markup.Escape(layer.SrmMessage ?? "SAMPLE RATIO MISMATCH")}[/]");
            }
            else if (layer.SrmPValue is { } p)
            {
                console.MarkupLine($"[green]SRM check passed[/] (chi-square p = {p.ToString("G3", CultureInfo.InvariantCulture)})");
            }
        }
    }

    /// <summary>Column headers of the console table (narrow terminals).</summary>
    public static IReadOnlyList<string> CompactHeaders { get; } = ["variant", "users", "obs/exp", "clicks", "CTR ±CI", "CTR lift", "hit ±CI", "hit lift", "recall@K", "NDCG@K"];

    /// <summary>Cells of one group's console row: value ± CI half-width, relative lift with Holm p.</summary>
    public static IReadOnlyList<string> CompactRow(VariantReport v) =>
    [
        v.Variant + (v.IsControl ? "*" : ""),
        v.Users.ToString(CultureInfo.InvariantCulture),
        $"{v.ObservedShare * 100:0.0}/{(v.ExpectedShare is { } e ? (e * 100).ToString("0.0", CultureInfo.InvariantCulture) : "-")}",
        v.Clicks.ToString(CultureInfo.InvariantCulture),
        Pm(v.Ctr),
        ShortLift(v.Lifts.GetValueOrDefault("ctr")),
        Pm(v.HitRate),
        ShortLift(v.Lifts.GetValueOrDefault("hit_rate")),
        v.RecallAtK is { } r ? Pm(r) : "-",
        v.NdcgAtK is { } n ? Pm(n) : "-",
    ];

    /// <summary>Column headers of a layer table.</summary>
    public static IReadOnlyList<string> Headers(LayerReport layer) =>
        ["variant", "users", "share obs/exp", "exposures", "clicks", "CTR [CI]", "CTR lift (p adj)", "hit rate [CI]", "hit lift (p adj)", "recall@K", "NDCG@K", "coverage"];

    /// <summary>Cells of one group's row.</summary>
    public static IReadOnlyList<string> Row(VariantReport v) =>
    [
        v.Variant + (v.IsControl ? " (control)" : ""),
        v.Users.ToString("N0", CultureInfo.InvariantCulture),
        $"{v.ObservedShare:P1} / {(v.ExpectedShare is { } e ? e.ToString("P1", CultureInfo.InvariantCulture) : "-")}",
        v.Exposures.ToString("N0", CultureInfo.InvariantCulture),
        v.Clicks.ToString("N0", CultureInfo.InvariantCulture),
        Interval(v.Ctr),
        Lift(v.Lifts.GetValueOrDefault("ctr")),
        Interval(v.HitRate),
        Lift(v.Lifts.GetValueOrDefault("hit_rate")),
        v.RecallAtK is { } r ? Interval(r) : "-",
        v.NdcgAtK is { } n ? Interval(n) : "-",
        v.Coverage is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : v.DistinctItems.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Pm(MetricEstimate m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Value:0.000}±{(m.CiHigh - m.CiLow) / 2:0.000}");

    private static string ShortLift(LiftEstimate? l) => l is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{(l.Relative ?? l.Absolute):+0.0%;-0.0%} p{l.PValueAdjusted:0.00}{(l.Significant ? "!" : "")}");

    private static string Interval(MetricEstimate m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Value:0.0000} [{m.CiLow:0.0000}, {m.CiHigh:0.0000}]");

    private static string Lift(LiftEstimate? l) => l is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{(l.Relative is { } r ? r.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : l.Absolute.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture))} (p {l.PValueAdjusted:0.000}){(l.Significant ? " *" : "")}");
}
