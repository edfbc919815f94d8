using RecFramework.Experiments.Analysis;
using ScottPlot;

namespace RecFramework.Host.Comparison;

/// <summary>PNG charts of a layer made with ScottPlot: metric per group with CI bars, daily CTR per group, bucket sizes.</summary>
internal static class ComparisonCharts
{
    private const int Width = 720;
    private const int Height = 360;

    /// <summary>A metric per group as bars with the confidence interval as error bars.</summary>
    public static byte[] MetricWithCi(LayerReport layer, string title, Func<VariantReport, MetricEstimate?> metric)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < layer.Variants.Count; i++)
        {
            var v = layer.Variants[i];
            if (metric(v) is not { } m)
            {
                continue;
            }

            bars.Add(new Bar
            {
                Position = i,
                Value = m.Value,
                Error = (m.CiHigh - m.CiLow) / 2,
                FillColor = v.IsControl ? Colors.Gray : Colors.SteelBlue,
            });
            ticks.Add(new Tick(i, v.Variant));
        }

        plot.Add.Bars(bars);
        Finish(plot, title, ticks);
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Daily CTR per group, one line each.</summary>
    public static byte[] DailyCtr(LayerReport layer)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < layer.Variants.Count; i++)
        {
            var v = layer.Variants[i];
            var days = v.Daily.Where(d => d.Ctr is not null).ToList();
            if (days.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(days.Select(d => (double)d.Day).ToArray(), days.Select(d => d.Ctr!.Value).ToArray());
            scatter.Color = palette.GetColor(i);
            scatter.LegendText = v.Variant;
            var errors = plot.Add.ErrorBar(days.Select(d => (double)d.Day).ToArray(), days.Select(d => d.Ctr!.Value).ToArray(),
                days.Select(d => (d.Ctr!.CiHigh - d.Ctr.CiLow) / 2).ToArray());
            errors.Color = palette.GetColor(i);
        }

        plot.ShowLegend();
        plot.Title($"{layer.Layer}: daily CTR per variant");
        plot.XLabel("day");
        plot.YLabel("CTR");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Observed users per group next to the users the configured shares expect.</summary>
    public static byte[] BucketSizes(LayerReport layer)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < layer.Variants.Count; i++)
        {
            var v = layer.Variants[i];
            bars.Add(new Bar { Position = 3 * i, Value = v.Users, FillColor = layer.SrmFlagged ? Colors.Red : Colors.SteelBlue });
            if (v.ExpectedShare is { } share)
            {
                bars.Add(new Bar { Position = 3 * i + 1, Value = share * layer.Users, FillColor = Colors.LightGray });
            }

            ticks.Add(new Tick(3 * i + 0.5, v.Variant));
        }

        plot.Add.Bars(bars);
        Finish(plot, $"{layer.Layer}: users per variant (blue/red observed, grey expected)", ticks);
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static void Finish(Plot plot, string title, List<Tick> ticks)
    {
        plot.Title(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
    }
}
