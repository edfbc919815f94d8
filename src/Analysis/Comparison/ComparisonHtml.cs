using System.Globalization;
using System.Net;
using System.Text;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// A self-contained HTML report: an SRM verdict at the top, then per layer the SRM banner, the groups with every
/// figure and its interval, the lifts vs the control, the per-channel shares and inline base64 PNG charts.
/// </summary>
public static class ComparisonHtml
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1250px;color:#222}table{border-collapse:collapse;margin:1em 0}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;white-space:nowrap}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}" +
        ".srm{background:#fdd;border:3px solid #c00;padding:1em;font-weight:bold;color:#900;font-size:1.1em}" +
        ".ok{background:#efe;border:1px solid #7a7;padding:.5em 1em;color:#060}.sig{font-weight:bold}.up{color:#060}.down{color:#a00}" +
        ".control td:first-child{font-style:italic}caption{text-align:left;font-weight:bold;padding:.3em 0}.note{color:#555;font-size:.9em}";

    /// <summary>Renders the report.</summary>
    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RecFramework variant comparison</title><style>")
            .Append(Style).Append("</style></head><body>");
        html.Append("<h1>Variant comparison</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Source <b>{E(report.Source)}</b> on <b>{E(report.Dataset)}</b>: {report.Users:N0} users, {report.Requests:N0} requests, ")
            .Append(CultureInfo.InvariantCulture, $"{report.Exposures:N0} exposures, {report.Clicks:N0} clicks over {report.Days} day(s); K = {report.K}. ")
            .Append(CultureInfo.InvariantCulture, $"{Pct(report.Confidence)} confidence intervals; p-values Holm-adjusted per layer and metric (alpha {report.Alpha.ToString(CultureInfo.InvariantCulture)}); ")
            .Append(CultureInfo.InvariantCulture, $"CUPED {(report.Cuped ? "on" : "off")}; configuration version {E(string.Join(", ", report.ConfigVersions))}.</p>");
        var failed = report.Layers.Where(l => l.SrmFlagged).ToList();
        if (failed.Count > 0)
        {
            html.Append("<div class=\"srm\">&#9888; SAMPLE RATIO MISMATCH in layer(s) ").Append(E(string.Join(", ", failed.Select(l => l.Layer))))
                .Append(": the groups did not get the users the configuration promises, so their lifts are not trustworthy. Find the cause (assignment, logging, filtering, crashes) before reading them.</div>");
        }
        else if (report.Layers.Any(l => l.SrmPValue is not null))
        {
            html.Append("<p class=\"ok\">Sample-ratio check passed in every layer.</p>");
        }

        html.Append("<p class=\"note\">How to read it: check the SRM verdict first, then the primary metric's lift and its interval; a lift marked <b>bold</b> is significant after the Holm correction. ")
            .Append("Every number is explained in docs/comparison.md.</p>");
        foreach (var layer in report.Layers)
        {
            Layer(html, report, layer);
        }

        ComparisonInterleaving.Append(html, report);
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

    private static void Layer(StringBuilder html, ComparisonReport report, LayerReport layer)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Layer {E(layer.Layer)} ({layer.Users:N0} users)</h2>");
        if (layer.SrmFlagged)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"srm\">&#9888; {E(layer.SrmMessage ?? "SAMPLE RATIO MISMATCH")} Do not trust the lifts of this layer until the cause is found.</div>");
        }
        else if (layer.SrmPValue is { } p)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"ok\">SRM check passed: chi-square {layer.SrmChiSquare:0.00} (df {layer.SrmDegreesOfFreedom}), p = {p:0.000}.</p>");
        }

        if (layer.CupedVarianceReduction is { } reduction)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>CUPED variance reduction on clicks per user: {reduction:P1}.</p>");
        }

        Groups(html, report, layer);
        Lifts(html, layer);
        ComparisonSequential.Html(html, layer, report.Confidence);
        Channels(html, layer);
        Image(html, ComparisonCharts.Lifts(layer, report.K, report.Confidence), "relative lift per group and metric with confidence intervals");
        Image(html, ComparisonCharts.MetricWithCi(layer, "CTR", report.Confidence, v => v.Ctr), "CTR per group");
        Image(html, ComparisonCharts.MetricWithCi(layer, ComparisonFormat.AtK("hit rate", report.K), report.Confidence, v => v.HitRate), "hit rate per group");
        Image(html, ComparisonCharts.MetricWithCi(layer, ComparisonFormat.AtK("recall", report.K), report.Confidence, v => v.RecallAtK), "recall per group");
        Image(html, ComparisonCharts.MetricWithCi(layer, ComparisonFormat.AtK("NDCG", report.K), report.Confidence, v => v.NdcgAtK), "NDCG per group");
        Image(html, ComparisonCharts.DailyCtr(layer, report.Source, report.Confidence), "daily CTR per group");
        Image(html, ComparisonCharts.BucketSizes(layer), "observed and expected users per group");
    }

    private static void Groups(StringBuilder html, ComparisonReport report, LayerReport layer)
    {
        var ci = Pct(report.Confidence);
        string[] headers = ["group", "users", "share obs / exp", "requests", "exposures", "clicks", $"CTR [{ci} CI]", $"{ComparisonFormat.AtK("hit rate", report.K)} [CI]",
            "clicks / user [CI]", $"{ComparisonFormat.AtK("recall", report.K)} [CI]", $"{ComparisonFormat.AtK("NDCG", report.K)} [CI]", "coverage", "distinct items"];
        html.Append("<table><caption>Groups (the control is in italics; intervals are per group)</caption><tr>");
        foreach (var h in headers)
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var v in layer.Variants)
        {
            string[] cells =
            [
                v.Variant + (v.IsControl ? " (control)" : ""),
                v.Users.ToString("N0", CultureInfo.InvariantCulture),
                $"{v.ObservedShare.ToString("P1", CultureInfo.InvariantCulture)} / {(v.ExpectedShare is { } e ? e.ToString("P1", CultureInfo.InvariantCulture) : "-")}",
                v.Requests.ToString("N0", CultureInfo.InvariantCulture),
                v.Exposures.ToString("N0", CultureInfo.InvariantCulture),
                v.Clicks.ToString("N0", CultureInfo.InvariantCulture),
                ComparisonFormat.Interval(v.Ctr),
                ComparisonFormat.Interval(v.HitRate),
                ComparisonFormat.Interval(v.ClicksPerUser),
                v.RecallAtK is { } r ? ComparisonFormat.Interval(r) : "-",
                v.NdcgAtK is { } n ? ComparisonFormat.Interval(n) : "-",
                v.Coverage is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "-",
                v.DistinctItems.ToString("N0", CultureInfo.InvariantCulture),
            ];
            html.Append(v.IsControl ? "<tr class=\"control\">" : "<tr>");
            foreach (var cell in cells)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
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
            html.Append("<p class=\"note\">No group of this layer has a control to be compared with.</p>");
            return;
        }

        html.Append("<table><caption>Lifts vs the control (bold: significant after Holm)</caption><tr><th>group</th><th>metric</th><th>vs</th><th>test</th><th>absolute lift [CI]</th><th>relative lift [CI]</th><th>statistic</th><th>p</th><th>p (Holm)</th></tr>");
        foreach (var (variant, metric, l) in rows)
        {
            var rel = l.Relative is { } r
                ? $"{ComparisonFormat.Percent(r)} [{ComparisonFormat.Percent(l.RelativeCiLow ?? r)}, {ComparisonFormat.Percent(l.RelativeCiHigh ?? r)}]"
                : "-";
            var direction = l.Significant ? (l.Absolute > 0 ? " up" : " down") : "";
            html.Append(l.Significant ? $"<tr class=\"sig{direction}\">" : "<tr>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(variant)}</td><td>{E(metric)}</td><td>{E(l.Control)}</td><td>{E(l.Test)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{l.Absolute:+0.0000;-0.0000} [{l.AbsoluteCiLow:+0.0000;-0.0000}, {l.AbsoluteCiHigh:+0.0000;-0.0000}]</td><td>{E(rel)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{l.Statistic:0.00}</td><td>{l.PValue:G3}</td><td>{l.PValueAdjusted:G3}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Channels(StringBuilder html, LayerReport layer)
    {
        var channels = layer.Variants.SelectMany(v => v.Channels.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (channels.Count == 0)
        {
            return;
        }

        html.Append("<table><caption>Share of exposures / share of clicks per recall channel (an item counts for the first channel that proposed it)</caption><tr><th>group</th>");
        foreach (var channel in channels)
        {
            html.Append("<th>").Append(E(channel)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var v in layer.Variants)
        {
            html.Append("<tr><td>").Append(E(v.Variant)).Append("</td>");
            foreach (var channel in channels)
            {
                var cell = v.Channels.TryGetValue(channel, out var s)
                    ? $"{s.ExposureShare.ToString("P1", CultureInfo.InvariantCulture)} / {s.ClickShare.ToString("P1", CultureInfo.InvariantCulture)}"
                    : "-";
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Image(StringBuilder html, byte[]? png, string alt)
    {
        if (png is not null)
        {
            html.Append("<p><img alt=\"").Append(E(alt)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"></p>");
        }
    }

    private static string Pct(double confidence) => confidence.ToString("0%", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
