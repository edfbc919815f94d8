using System.Globalization;
using System.Text;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using static RecFramework.AspNetCore.SvgChart;

namespace RecFramework.AspNetCore;

/// <summary>
/// Renders the live experiment page: a self-contained HTML document (inline CSS and SVG, no script, nothing fetched) of the
/// layers' bucket maps, the configured experiments, and the live analysis per layer and variant with charts over time.
/// Every name and message from configuration or logs is HTML-encoded.
/// </summary>
internal static partial class ExperimentPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1240px}
        h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:18px 0 6px}
        table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#444;font-size:13px}
        .warn{color:#8a5300;font-size:13px}.srm{font-size:13px}.flag{color:#b00020;font-weight:bold}.ok{color:#1b6e20}
        .verdict-ship{color:#1b6e20;font-weight:bold}.verdict-do-not-ship{color:#b00020;font-weight:bold}.verdict-keep-running{color:#8a5300;font-weight:bold}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
        """;

    /// <summary>The page of <paramref name="result"/> under the served configuration <paramref name="config"/> and its bucket maps.</summary>
    public static string Render(LiveAnalysisResult result, ExperimentsOptions config, IReadOnlyList<LayerBucketMap> maps)
    {
        var html = new StringBuilder(64 * 1024);
        var colours = new Colours();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RecFramework experiments</title><style>")
            .Append(Style).Append("</style></head><body><h1>RecFramework experiments</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\" id=\"computed\">Analysis computed at {Encode(result.ComputedAt.ToString("u", CultureInfo.InvariantCulture))} ")
            .Append(CultureInfo.InvariantCulture, $"(reused for {result.RefreshSeconds} s) under configuration version <code>{Encode(result.ServedVersion)}</code>; ")
            .Append(CultureInfo.InvariantCulture, $"{result.Records:N0} records from {result.Files.Count} file(s), {result.SkippedLines:N0} unreadable line(s) skipped")
            .Append(result.Truncated ? ", <span class=\"warn\">only the newest MaxRecords records</span>" : "").Append(".</p>");
        foreach (var warning in result.Warnings)
        {
            html.Append("<p class=\"warn\">").Append(Encode(warning)).Append("</p>");
        }

        Layers(html, config, maps, colours);
        Experiments(html, config);
        html.Append("<h2 id=\"analysis\">Live analysis</h2>");
        if (result.Report is not { } report)
        {
            html.Append("<p id=\"no-report\">").Append(Encode(result.Reason ?? "No analysis yet.")).Append("</p>");
        }
        else
        {
            Analysis(html, result, report, DecisionRule.From(config), colours);
        }

        return html.Append("</body></html>").ToString();
    }

    private static void Layers(StringBuilder html, ExperimentsOptions config, IReadOnlyList<LayerBucketMap> maps, Colours colours)
    {
        html.Append("<h2 id=\"layers\">Layers and bucket maps</h2>");
        var holdout = config.Holdout.Share;
        html.Append(CultureInfo.InvariantCulture, $"<h3>Global holdout</h3><p class=\"meta\">{holdout:P1} of all users (drawn under salt <code>{Encode(config.Holdout.Salt)}</code>, apart from the layers' buckets) get every layer's baseline.</p>");
        Bar(html, "holdout-map", 1, holdout > 0
            ? [new Segment(0, holdout, HoldoutColour, "holdout"), new Segment(holdout, 1 - holdout, DefaultColour, "rest")]
            : [new Segment(0, 1, DefaultColour, "no holdout")]);
        foreach (var map in maps)
        {
            html.Append("<h3>Layer ").Append(Encode(map.Layer)).Append("</h3>");
            var segments = map.Spans.Select(s => new Segment(s.First, s.Count, Colour(s, colours), Label(s))).ToList();
            Bar(html, "bucket-map", map.BucketCount, segments);
            html.Append("<table class=\"bucket-spans\"><tr><th>Buckets</th><th>Group</th><th>Share of layer</th></tr>");
            foreach (var span in map.Spans)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{span.First}–{span.Last}</td><td><span class=\"swatch\" style=\"background:{Colour(span, colours)}\"></span>{Encode(Label(span))}</td><td class=\"num\">{(double)span.Count / map.BucketCount:P1}</td></tr>");
            }

            html.Append("</table>");
        }
    }

    private static string Label(BucketSpan span) => span switch
    {
        { ReverseBucket: true } => $"{span.Experiment} reverse",
        { Experiment: null } => span.Variant,
        _ => $"{span.Experiment}/{span.Variant}",
    };

    private static string Colour(BucketSpan span, Colours colours) => span switch
    {
        { ReverseBucket: true } => ReverseColour,
        { Experiment: null } => DefaultColour,
        _ => colours.Of($"{span.Experiment}/{span.Variant}"),
    };

    private static void Experiments(StringBuilder html, ExperimentsOptions config)
    {
        html.Append("<h2 id=\"experiments\">Experiments</h2><table class=\"experiments\"><tr><th>Layer</th><th>Experiment</th><th>Status</th><th>Buckets</th>")
            .Append("<th>Variants (share)</th><th>Launched variant</th><th>Reverse buckets</th><th>Primary metric</th><th>Target effect</th><th>Guardrails (margin)</th></tr>");
        foreach (var layer in config.Layers)
        {
            foreach (var e in layer.Experiments)
            {
                var variants = string.Join(", ", e.Variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Name} ({v.Share:0.###})")));
                var guardrails = string.Join(", ", e.Guardrails.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Metric} ({g.Margin:P1})")));
                html.Append("<tr class=\"experiment\" data-experiment=\"").Append(Encode(e.Name)).Append("\"><td>").Append(Encode(layer.Name))
                    .Append("</td><td>").Append(Encode(e.Name)).Append("</td><td class=\"status\">").Append(Encode(e.Status.ToString()))
                    .Append("</td><td>").Append(Encode(string.Join(", ", e.Buckets))).Append("</td><td>").Append(Encode(variants))
                    .Append("</td><td>").Append(Encode(e.LaunchedVariant ?? "")).Append("</td><td>").Append(Encode(string.Join(", ", e.ReverseBuckets)))
                    .Append("</td><td>").Append(Encode(e.PrimaryMetric ?? ExperimentMetrics.DefaultPrimary))
                    .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{e.TargetEffect ?? DecisionRule.DefaultTargetEffect:P1}</td><td>")
                    .Append(Encode(guardrails)).Append("</td></tr>");
            }
        }

        html.Append("</table>");
    }

    /// <summary>One colour per group label, in order of first use.</summary>
    private sealed class Colours
    {
        private readonly Dictionary<string, string> _byLabel = new(StringComparer.Ordinal);

        public string Of(string label)
        {
            if (!_byLabel.TryGetValue(label, out var colour))
            {
                colour = label switch
                {
                    LayerAssignment.DefaultVariant or ExperimentAnalyzer.RestLabel => "#7f7f7f",
                    LayerAssignment.HoldoutVariant => HoldoutColour,
                    LayerAssignment.ReverseVariant => ReverseColour,
                    _ => Palette[_byLabel.Count(c => c.Value != "#7f7f7f" && c.Value != HoldoutColour && c.Value != ReverseColour) % Palette.Length],
                };
                _byLabel[label] = colour;
            }

            return colour;
        }
    }
}
