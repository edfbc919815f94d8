using System.Globalization;
using System.Text;
using RecFramework.Experiments.Analysis;
using static RecFramework.AspNetCore.SvgChart;

namespace RecFramework.AspNetCore;

/// <summary>The live-analysis part of the experiment page: per layer the SRM checks, per group the figures and the decision, and charts over time.</summary>
internal static partial class ExperimentPage
{
    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    private static void Analysis(StringBuilder html, LiveAnalysisResult result, ComparisonReport report, IReadOnlyDictionary<string, DecisionRule> rules, Colours colours)
    {
        var confidence = report.Confidence.ToString("P0", CultureInfo.InvariantCulture);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{report.Users:N0} users, {report.Requests:N0} requests, {report.Exposures:N0} exposures, {report.Clicks:N0} clicks over {report.Days} day(s). ")
            .Append(CultureInfo.InvariantCulture, $"Intervals: fixed-horizon {Encode(confidence)} (valid at one planned look) and anytime-valid {Encode(confidence)} (mSPRT confidence sequence, valid at every daily look). ")
            .Append("The decision rests on the anytime-valid interval of the experiment's primary metric.</p>");
        foreach (var warning in report.Warnings)
        {
            html.Append("<p class=\"warn\">").Append(Encode(warning)).Append("</p>");
        }

        var lastDay = result.History.Count > 0 ? result.History[^1].Day : 0;
        var current = CumulativeHistory.Of(report, lastDay, rules);
        foreach (var layer in report.Layers)
        {
            html.Append("<section class=\"layer-analysis\" data-layer=\"").Append(Encode(layer.Layer)).Append("\"><h3>Layer ").Append(Encode(layer.Layer))
                .Append(CultureInfo.InvariantCulture, $" — {layer.Users:N0} users</h3>");
            SampleRatio(html, layer);
            Figures(html, layer, current.Where(f => f.Layer == layer.Layer).ToList(), confidence, colours);
            Charts(html, layer, result.History.Where(f => f.Layer == layer.Layer).ToList(), colours);
            html.Append("</section>");
        }
    }

    private static void SampleRatio(StringBuilder html, LayerReport layer)
    {
        html.Append("<p class=\"srm\">Sample ratio: ");
        if (layer.SrmPValue is not { } p)
        {
            html.Append("not checked (no configured shares apply to this log).</p>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"chi-square p = {Number(p)}; ");
        if (layer.SequentialSrm is { } sequential)
        {
            html.Append(CultureInfo.InvariantCulture, $"sequential (Dirichlet–multinomial Bayes factor) always-valid p = {Number(sequential.PValue)}; ");
        }

        html.Append(layer.SrmFlagged || layer.SequentialSrm?.Flagged == true
            ? "<span class=\"flag\">mismatch</span>" + (layer.SrmMessage is { } message ? ": " + Encode(message) : "")
            : "<span class=\"ok\">no mismatch</span>").Append("</p>");
    }

    private static void Figures(StringBuilder html, LayerReport layer, List<CumulativeFigures> figures, string confidence, Colours colours)
    {
        html.Append("<table class=\"variants\"><tr><th>Group</th><th>Users</th><th>Share (expected)</th><th>Metric</th><th>Value</th>")
            .Append(CultureInfo.InvariantCulture, $"<th>{Encode(confidence)} interval</th><th>Lift vs control</th><th>Fixed-horizon interval</th><th>Anytime-valid interval</th>")
            .Append("<th>Always-valid p</th><th>MDE (today)</th><th>Days to target</th><th>Decision</th></tr>");
        foreach (var group in layer.Variants)
        {
            var f = figures.FirstOrDefault(x => x.Variant == group.Variant);
            var sequential = f is null ? null : group.Sequential.GetValueOrDefault(f.Metric);
            html.Append("<tr class=\"variant\" data-variant=\"").Append(Encode(group.Variant)).Append("\"><td><span class=\"swatch\" style=\"background:")
                .Append(colours.Of(group.Variant)).Append("\"></span>").Append(Encode(group.Variant)).Append(group.IsControl ? " (control)" : "")
                .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num users\">{group.Users:N0}</td><td class=\"num\">{group.ObservedShare:P1}")
                .Append(group.ExpectedShare is { } expected ? string.Create(CultureInfo.InvariantCulture, $" ({expected:P1})") : "").Append("</td><td>")
                .Append(Encode(f?.Metric ?? "")).Append("</td>");
            Cell(html, "value num", f?.Value is { } v ? Number(v.Value) : "n/a");
            Cell(html, "interval", f?.Value is { } i ? Interval(i.CiLow, i.CiHigh) : "n/a");
            Cell(html, "lift num", f?.Lift is { } l ? Signed(l.Absolute) + (l.Relative is { } r ? string.Create(CultureInfo.InvariantCulture, $" ({r:+0.0%;-0.0%})") : "") : "—");
            Cell(html, "lift-interval", f?.Lift is { } li ? Interval(li.AbsoluteCiLow, li.AbsoluteCiHigh) : "—");
            Cell(html, "anytime-interval", f?.Anytime is { } a ? Interval(a.Low, a.High) : "—");
            Cell(html, "num", f?.Anytime is { } ap ? Number(ap.PValue) : "—");
            Cell(html, "num", sequential is null ? "—" : Number(sequential.MinimumDetectableEffect));
            Cell(html, "num", sequential?.DaysUntilTargetDetectable is { } days ? days.ToString(CultureInfo.InvariantCulture) : "—");
            if (group.Decision is { } decision)
            {
                html.Append("<td class=\"decision\"><span class=\"verdict verdict-").Append(Encode(decision.Verdict)).Append("\">").Append(Encode(decision.Verdict))
                    .Append("</span>: <span class=\"reason\">").Append(Encode(decision.Reason)).Append("</span></td>");
            }
            else
            {
                html.Append("<td>—</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><table class=\"metrics\"><tr><th>Group</th><th>CTR</th><th>Hit rate</th><th>Clicks per user</th></tr>");
        foreach (var group in layer.Variants)
        {
            html.Append("<tr><td>").Append(Encode(group.Variant)).Append("</td>");
            foreach (var m in new[] { group.Ctr, group.HitRate, group.ClicksPerUser })
            {
                Cell(html, "num", $"{Number(m.Value)} {Interval(m.CiLow, m.CiHigh)}");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Charts(StringBuilder html, LayerReport layer, List<CumulativeFigures> history, Colours colours)
    {
        if (history.Count == 0)
        {
            return;
        }

        html.Append("<p class=\"meta\">Over time, each day's point is the analysis of the log through that day. Bands: dark, the fixed-horizon ")
            .Append("interval; pale (lift charts), the anytime-valid interval, which holds at every daily look at once.</p><div class=\"charts\">");
        foreach (var experiment in history.Select(f => f.Experiment).Distinct().ToList())
        {
            var groups = history.Where(f => f.Experiment == experiment).GroupBy(f => f.Variant).ToList();
            var metric = groups[0].First().Metric;
            var values = groups.Select(g => new Series(g.Key, colours.Of(g.Key),
                g.Where(f => f.Value is not null).Select(f => new Point(f.Day, f.Value!.Value, f.Value.CiLow, f.Value.CiHigh)).ToList())).ToList();
            var name = experiment ?? layer.Layer;
            Lines(html, "chart-values", $"{name}: {metric} per variant, cumulative (fixed-horizon interval)", values, DayLabel, zeroLine: false);
            var lifts = groups.Where(g => g.Any(f => f.Lift is not null)).Select(g => new Series(g.Key, colours.Of(g.Key),
                g.Where(f => f.Lift is not null).Select(f => new Point(f.Day, f.Lift!.Absolute, f.Lift.AbsoluteCiLow, f.Lift.AbsoluteCiHigh, f.Anytime?.Low, f.Anytime?.High)).ToList())).ToList();
            if (lifts.Count > 0)
            {
                Lines(html, "chart-lifts", $"{name}: lift of {metric} vs control", lifts, DayLabel, zeroLine: true);
            }
        }

        html.Append("</div>");
    }

    /// <summary>A log day as its UTC date (the service logs days since 1970-01-01); small indices of simulated logs as "day N".</summary>
    private static string DayLabel(int day) =>
        day > 10_000 ? DateOnly.FromDayNumber(UnixEpochDay + day).ToString("MM-dd", CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"day {day}");

    private static void Cell(StringBuilder html, string cssClass, string text) =>
        html.Append("<td class=\"").Append(cssClass).Append("\">").Append(Encode(text)).Append("</td>");

    private static string Interval(double low, double high) => $"[{Number(low)}, {Number(high)}]";

    private static string Signed(double value) => (value > 0 ? "+" : "") + Number(value);
}
