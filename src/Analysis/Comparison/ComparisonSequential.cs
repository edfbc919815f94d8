using System.Globalization;
using System.Net;
using System.Text;
using RecFramework.Experiments.Analysis;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>The anytime-valid figures, sequential SRM check, power and decisions of a layer, for the console and the HTML report.</summary>
internal static class ComparisonSequential
{
    /// <summary>One line per experiment variant: verdict, primary metric's anytime-valid interval, MDE; then the sequential SRM check.</summary>
    public static void Write(IAnsiConsole console, LayerReport layer)
    {
        foreach (var v in layer.Variants.Where(v => v.Decision is not null))
        {
            var decision = v.Decision!;
            var colour = decision.Verdict switch
            {
                VariantDecision.Ship => "green",
                VariantDecision.DoNotShip => "red",
                _ => "yellow",
            };
            console.MarkupLine($"[bold {colour}]{Markup.Escape(v.Variant)}: {Markup.Escape(decision.Verdict)}[/] - {Markup.Escape(decision.Reason)}");
            if (v.Sequential.GetValueOrDefault(decision.PrimaryMetric) is { } lift)
            {
                console.MarkupLine(Markup.Escape(Summary(decision.PrimaryMetric, lift)));
            }
        }

        if (layer.SequentialSrm is { } srm)
        {
            console.MarkupLine(Markup.Escape(F($"sequential SRM check (Dirichlet-multinomial Bayes factor): always-valid p = {ComparisonFormat.PValue(srm.PValue)}{(srm.Flagged ? " - FLAGGED" : "")}")));
        }
    }

    /// <summary>A table of every anytime-valid lift with its power figures, the decisions and the sequential SRM check.</summary>
    public static void Html(StringBuilder html, LayerReport layer, double confidence)
    {
        var rows = layer.Variants.SelectMany(v => v.Sequential.Select(s => (v.Variant, Metric: s.Key, Lift: s.Value))).ToList();
        if (rows.Count > 0)
        {
            var ci = confidence.ToString("0%", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<table><caption>Anytime-valid lifts ({ci} mSPRT confidence sequences, valid at every look) and power</caption>")
                .Append("<tr><th>group</th><th>metric</th><th>absolute lift [anytime CI]</th><th>relative lift [anytime CI]</th><th>always-valid p</th><th>MDE (relative)</th><th>days until target</th></tr>");
            foreach (var (variant, metric, l) in rows)
            {
                var a = l.Absolute;
                var rel = l.Relative is { } r ? $"{ComparisonFormat.Percent(r.Estimate)} [{ComparisonFormat.Percent(r.Low)}, {ComparisonFormat.Percent(r.High)}]" : "-";
                var mde = l.MinimumDetectableRelativeEffect is { } m ? "±" + ComparisonFormat.Percent(m).TrimStart('+') : F($"±{l.MinimumDetectableEffect:0.0000}");
                var days = l.DaysUntilTargetDetectable is { } d ? F($"{d} (for {ComparisonFormat.Percent(l.TargetEffect)})") : "-";
                html.Append(a.ExcludesZero ? $"<tr class=\"sig {(a.Estimate > 0 ? "up" : "down")}\">" : "<tr>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(variant)}</td><td>{E(metric)}</td><td>{a.Estimate:+0.0000;-0.0000} [{a.Low:+0.0000;-0.0000}, {a.High:+0.0000;-0.0000}]</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(rel)}</td><td>{E(ComparisonFormat.PValue(l.AlwaysValidPValue))}</td><td>{E(mde)}</td><td>{E(days)}</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var v in layer.Variants.Where(v => v.Decision is not null))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"decision {E(v.Decision!.Verdict)}\"><b>{E(v.Variant)}: {E(v.Decision.Verdict)}</b> &mdash; {E(v.Decision.Reason)}</p>");
        }

        if (layer.SequentialSrm is { } srm)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"{(srm.Flagged ? "srm" : "ok")}\">Sequential SRM check (Dirichlet-multinomial Bayes factor, prior concentration {srm.Concentration:0}): always-valid p = {E(ComparisonFormat.PValue(srm.PValue))}.</p>");
        }
    }

    private static string Summary(string metric, SequentialLift lift) => lift.Relative is { } r
        ? F($"  {metric}: relative lift {ComparisonFormat.Percent(r.Estimate)} [{ComparisonFormat.Percent(r.Low)}, {ComparisonFormat.Percent(r.High)}] anytime-valid, p = {ComparisonFormat.PValue(lift.AlwaysValidPValue)}; MDE ±{ComparisonFormat.Percent(lift.MinimumDetectableRelativeEffect ?? 0).TrimStart('+')} at power {lift.Power:0%}")
        : F($"  {metric}: lift {lift.Absolute.Estimate:+0.0000;-0.0000} [{lift.Absolute.Low:+0.0000;-0.0000}, {lift.Absolute.High:+0.0000;-0.0000}] anytime-valid, p = {ComparisonFormat.PValue(lift.AlwaysValidPValue)}; MDE ±{lift.MinimumDetectableEffect:0.0000}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
