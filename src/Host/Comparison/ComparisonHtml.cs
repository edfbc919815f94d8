using System.Globalization;
using System.Net;
using System.Text;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Host.Comparison;

/// <summary>A self-contained HTML report: headline tables, SRM banners and inline base64 PNG charts.</summary>
internal static class ComparisonHtml
{
    /// <summary>Renders the report.</summary>
    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RecFramework comparison</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
            .Append(".srm{background:#fdd;border:2px solid #c00;padding:1em;font-weight:bold;color:#900}.ok{color:#070}.sig{font-weight:bold}")
            .Append("</style></head><body>");
        html.Append("<h1>Variant comparison</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Source <b>{E(report.Source)}</b> on <b>{E(report.Dataset)}</b>: {report.Users:N0} users, {report.Requests:N0} requests, ")
            .Append(CultureInfo.InvariantCulture, $"{report.Exposures:N0} exposures, {report.Clicks:N0} clicks over {report.Days} day(s). ")
            .Append(CultureInfo.InvariantCulture, $"{report.Confidence:P0} confidence intervals; p-values Holm-adjusted per layer and metric (alpha {report.Alpha}); ")
            .Append(CultureInfo.InvariantCulture, $"CUPED {(report.Cuped ? "on" : "off")}; configuration {E(string.Join(", ", report.ConfigVersions))}. ")
            .Append("See docs/comparison.md for how to read each number.</p>");
        foreach (var layer in report.Layers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Layer {E(layer.Layer)} ({layer.Users:N0} users)</h2>");
            if (layer.SrmFlagged)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"srm\">{E(layer.SrmMessage ?? "SAMPLE RATIO MISMATCH")} Do not trust the lifts of this layer until the cause is found.</div>");
            }
            else if (layer.SrmPValue is { } p)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"ok\">SRM check passed: chi-square {layer.SrmChiSquare:0.00} (df {layer.SrmDegreesOfFreedom}), p = {p:G3}.</p>");
            }

            if (layer.CupedVarianceReduction is { } reduction)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>CUPED variance reduction on clicks per user: {reduction:P1}.</p>");
            }

            Table(html, layer);
            Lifts(html, layer);
            Image(html, ComparisonCharts.MetricWithCi(layer, $"{layer.Layer}: CTR per variant with CI", v => v.Ctr), "CTR per variant");
            Image(html, ComparisonCharts.MetricWithCi(layer, $"{layer.Layer}: hit rate per variant with CI", v => v.HitRate), "hit rate per variant");
            if (layer.Variants.Any(v => v.RecallAtK is not null))
            {
                Image(html, ComparisonCharts.MetricWithCi(layer, $"{layer.Layer}: recall@K per variant with CI", v => v.RecallAtK), "recall per variant");
            }

            Image(html, ComparisonCharts.DailyCtr(layer), "daily CTR");
            Image(html, ComparisonCharts.BucketSizes(layer), "bucket sizes");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/>, creating the folder.</summary>
    public static async Task WriteAsync(ComparisonReport report, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Render(report), cancellationToken).ConfigureAwait(false);
    }

    private static void Table(StringBuilder html, LayerReport layer)
    {
        html.Append("<table><tr>");
        foreach (var h in ComparisonConsole.Headers(layer))
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var v in layer.Variants)
        {
            html.Append("<tr>");
            foreach (var cell in ComparisonConsole.Row(v))
            {
                html.Append(cell.EndsWith(" *", StringComparison.Ordinal) ? "<td class=\"sig\">" : "<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Lifts(StringBuilder html, LayerReport layer)
    {
        var rows = layer.Variants.SelectMany(v => v.Lifts.Select(l => (v.Variant, Metric: l.Key, Lift: l.Value))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        html.Append("<table><tr><th>variant</th><th>metric</th><th>vs</th><th>test</th><th>abs. lift [CI]</th><th>rel. lift [CI]</th><th>statistic</th><th>p</th><th>p (Holm)</th></tr>");
        foreach (var (variant, metric, l) in rows)
        {
            var rel = l.Relative is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:+0.0%;-0.0%} [{l.RelativeCiLow:+0.0%;-0.0%}, {l.RelativeCiHigh:+0.0%;-0.0%}]") : "-";
            html.Append(l.Significant ? "<tr class=\"sig\">" : "<tr>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(variant)}</td><td>{E(metric)}</td><td>{E(l.Control)}</td><td>{E(l.Test)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{l.Absolute:+0.0000;-0.0000} [{l.AbsoluteCiLow:0.0000}, {l.AbsoluteCiHigh:0.0000}]</td><td>{rel}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{l.Statistic:0.00}</td><td>{l.PValue:G3}</td><td>{l.PValueAdjusted:G3}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Image(StringBuilder html, byte[] png, string alt) =>
        html.Append("<p><img alt=\"").Append(E(alt)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"></p>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
