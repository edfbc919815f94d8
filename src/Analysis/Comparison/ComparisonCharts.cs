using System.Globalization;
using RecFramework.Experiments.Analysis;
using ScottPlot;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// PNG charts of a layer made with ScottPlot: a metric per group with its confidence interval, the relative lifts vs
/// the control with their intervals, the daily CTR per group and the observed vs expected users per group. Every chart
/// has a title, axis labels and a legend.
/// </summary>
internal static class ComparisonCharts
{
    private const int Width = 800;
    private const int Height = 440;

    private static readonly Color ControlColor = Colors.Gray;
    private static readonly Color ComparedColor = Colors.SteelBlue;
    private static readonly Color OtherColor = Colors.LightSteelBlue;

    /// <summary>Metrics of the lift chart, with their display names.</summary>
    private static readonly (string Key, string Name)[] LiftMetrics = [("ctr", "CTR"), ("hit_rate", "hit rate"), ("recall_at_k", "recall"), ("ndcg_at_k", "NDCG")];

    /// <summary>
    /// <paramref name="metricName"/> per group as bars with the interval as whiskers (asymmetric where the interval is,
    /// e.g. Wilson); grey = control, blue = compared with a control, light = compared with nothing. Null when no group has it.
    /// </summary>
    public static byte[]? MetricWithCi(LayerReport layer, string metricName, double confidence, Func<VariantReport, MetricEstimate?> metric)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var (labels, experiment) = ComparisonConsole.ShortLabels(layer);
        for (var i = 0; i < layer.Variants.Count; i++)
        {
            var v = layer.Variants[i];
            if (metric(v) is not { } m)
            {
                continue;
            }

            bars.Add(new Bar { Position = i, Value = m.Value, FillColor = GroupColor(v) });
            ticks.Add(new Tick(i, string.Create(CultureInfo.InvariantCulture, $"{labels[i]}\n{m.Value:0.000} [{m.CiLow:0.000}, {m.CiHigh:0.000}]")));
        }

        if (bars.Count == 0)
        {
            return null;
        }

        plot.Add.Bars(bars);
        var estimates = layer.Variants.Select(metric).ToList();
        var shown = bars.Select(b => estimates[(int)b.Position]!).ToList();
        var whiskers = plot.Add.ErrorBar(bars.Select(b => b.Position).ToArray(), bars.Select(b => b.Value).ToArray(),
            shown.Select(m => Math.Max(0, m.CiHigh - m.Value)).ToArray());
        whiskers.YErrorNegative = shown.Select(m => Math.Max(0, m.Value - m.CiLow)).ToArray();
        whiskers.Color = Colors.Black;
        whiskers.LineWidth = 1.5f;
        GroupLegend(plot, layer);
        plot.Title($"{LayerTitle(layer, experiment)}: {metricName} per group (whiskers: {Ci(confidence)} CI)");
        plot.YLabel(metricName);
        CategoryTicks(plot, ticks);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return Png(plot);
    }

    /// <summary>
    /// Relative lift vs the control, in %, per compared group and metric, with its interval; green / red when
    /// significant after Holm (up / down), grey when not. Null when the layer has no comparison.
    /// </summary>
    public static byte[]? Lifts(LayerReport layer, int k, double confidence)
    {
        var points = new List<(double Lift, double Low, double High, bool Significant, string Label)>();
        var (labels, experiment) = ComparisonConsole.ShortLabels(layer);
        foreach (var (v, label) in layer.Variants.Zip(labels))
        {
            foreach (var (key, name) in LiftMetrics)
            {
                if (v.Lifts.GetValueOrDefault(key) is { Relative: { } r, RelativeCiLow: { } low, RelativeCiHigh: { } high } l)
                {
                    var metric = key is "recall_at_k" or "ndcg_at_k" ? ComparisonFormat.AtK(name, k) : name;
                    var control = labels[layer.Variants.ToList().FindIndex(c => c.Variant == l.Control)];
                    points.Add((100 * r, 100 * low, 100 * high, l.Significant,
                        string.Create(CultureInfo.InvariantCulture, $"{metric}: {label}\nvs {control}\n{ComparisonFormat.Percent(r)} {ComparisonFormat.P(l.PValueAdjusted)}")));
                }
            }
        }

        if (points.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black;
        zero.LineWidth = 1;
        var ticks = new List<Tick>();
        foreach (var ((lift, low, high, significant, label), i) in points.Select((p, i) => (p, i)))
        {
            var color = !significant ? ControlColor : lift > 0 ? Colors.ForestGreen : Colors.Crimson;
            var error = plot.Add.ErrorBar([i], [lift], [high - lift]);
            error.YErrorNegative = [lift - low];
            error.Color = color;
            error.LineWidth = 2;
            var marker = plot.Add.Marker(i, lift);
            marker.Color = color;
            marker.Size = 10;
            ticks.Add(new Tick(i, label));
        }

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "significant increase", FillColor = Colors.ForestGreen });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "significant decrease", FillColor = Colors.Crimson });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "not significant (Holm-adjusted p >= alpha)", FillColor = ControlColor });
        plot.ShowLegend(Edge.Bottom);
        plot.Title($"{LayerTitle(layer, experiment)}: relative lift vs control (whiskers: {Ci(confidence)} CI)");
        plot.YLabel("relative lift (%)");
        CategoryTicks(plot, ticks);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(-0.6, points.Count - 0.4);
        return Png(plot, height: Height + 60);
    }

    /// <summary>
    /// CTR per day (replay: per tenth of the held-out span) per group with its interval (clipped at 0); the groups are
    /// shifted slightly sideways so their whiskers do not hide each other.
    /// </summary>
    public static byte[] DailyCtr(LayerReport layer, string source, double confidence)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var count = layer.Variants.Count;
        for (var i = 0; i < count; i++)
        {
            var v = layer.Variants[i];
            var days = v.Daily.Where(d => d.Ctr is not null).ToList();
            if (days.Count == 0)
            {
                continue;
            }

            var offset = count > 1 ? (i - (count - 1) / 2.0) * 0.3 / (count - 1) : 0;
            var xs = days.Select(d => d.Day + offset).ToArray();
            var ys = days.Select(d => d.Ctr!.Value).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.Color = palette.GetColor(i);
            scatter.LegendText = v.Variant;
            scatter.MarkerSize = 6;
            var errors = plot.Add.ErrorBar(xs, ys, days.Select(d => d.Ctr!.CiHigh - d.Ctr.Value).ToArray());
            errors.YErrorNegative = days.Select(d => d.Ctr!.Value - Math.Max(0, d.Ctr.CiLow)).ToArray();
            errors.Color = palette.GetColor(i).WithAlpha(0.6);
        }

        plot.ShowLegend(Edge.Bottom);
        var replay = string.Equals(source, "replay", StringComparison.Ordinal);
        plot.Title($"{layer.Layer}: CTR per {(replay ? "period" : "day")} and group (whiskers: {Ci(confidence)} CI)");
        plot.XLabel(replay ? "period (tenth of the held-out time span of the user's first held-out event)" : "day");
        plot.YLabel("CTR (clicks / exposures)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Axes.Margins(bottom: 0);
        return Png(plot);
    }

    /// <summary>Observed users per group next to the users the configured shares expect; the title carries the SRM verdict.</summary>
    public static byte[] BucketSizes(LayerReport layer)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var observedColor = layer.SrmFlagged ? Colors.Crimson : ComparedColor;
        var (labels, experiment) = ComparisonConsole.ShortLabels(layer);
        for (var i = 0; i < layer.Variants.Count; i++)
        {
            var v = layer.Variants[i];
            bars.Add(new Bar { Position = 3 * i, Value = v.Users, FillColor = observedColor, Label = v.Users.ToString(CultureInfo.InvariantCulture) });
            if (v.ExpectedShare is { } share)
            {
                var expected = share * layer.Users;
                bars.Add(new Bar { Position = 3 * i + 1, Value = expected, FillColor = Colors.LightGray, Label = expected.ToString("0", CultureInfo.InvariantCulture) });
            }

            ticks.Add(new Tick(3 * i + 0.5, labels[i]));
        }

        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "observed users", FillColor = observedColor });
        if (layer.Variants.Any(v => v.ExpectedShare is not null))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "expected (configured share)", FillColor = Colors.LightGray });
        }

        plot.ShowLegend(Edge.Bottom);
        var verdict = layer.SrmPValue is not { } p ? "no SRM check"
            : layer.SrmFlagged ? $"SRM FAILED, p = {p.ToString("G3", CultureInfo.InvariantCulture)}"
            : $"SRM check passed, p = {p.ToString("0.000", CultureInfo.InvariantCulture)}";
        plot.Title($"{LayerTitle(layer, experiment)}: users per group ({verdict})");
        if (layer.SrmFlagged)
        {
            plot.Axes.Title.Label.ForeColor = Colors.Crimson;
        }

        plot.YLabel("users");
        plot.XLabel("group");
        CategoryTicks(plot, ticks);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return Png(plot);
    }

    private static string LayerTitle(LayerReport layer, string? experiment) => experiment is null ? layer.Layer : $"{layer.Layer} / {experiment}";

    private static Color GroupColor(VariantReport v) => v.IsControl ? ControlColor : v.Lifts.Count > 0 ? ComparedColor : OtherColor;

    private static void GroupLegend(Plot plot, LayerReport layer)
    {
        if (layer.Variants.Any(v => v.IsControl))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "control", FillColor = ControlColor });
        }

        if (layer.Variants.Any(v => v.Lifts.Count > 0))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "compared with its control", FillColor = ComparedColor });
        }

        if (layer.Variants.Any(v => !v.IsControl && v.Lifts.Count == 0))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "not compared", FillColor = OtherColor });
        }

        plot.ShowLegend(Edge.Bottom);
    }

    private static void CategoryTicks(Plot plot, List<Tick> ticks)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
    }

    private static string Ci(double confidence) => confidence.ToString("0%", CultureInfo.InvariantCulture);

    private static byte[] Png(Plot plot, int height = Height) => plot.GetImageBytes(Width, height, ImageFormat.Png);
}
