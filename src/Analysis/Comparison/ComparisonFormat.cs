using System.Globalization;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Analysis.Comparison;

/// <summary>Number formatting shared by the console tables and the HTML report (invariant culture throughout).</summary>
internal static class ComparisonFormat
{
    /// <summary>Text of a lift cell for the group that other groups are compared with.</summary>
    public const string ControlCell = "control";

    /// <summary>"p&lt;0.001" below 0.001, otherwise "p=0.012"; <paramref name="compact"/> drops the leading zero.</summary>
    public static string P(double p, bool compact = false)
    {
        var text = p < 0.001 ? "<0.001" : "=" + p.ToString("0.000", CultureInfo.InvariantCulture);
        return "p" + (compact ? text.Replace("0.", ".", StringComparison.Ordinal) : text);
    }

    /// <summary>A p-value for a table column: "&lt;0.001" or "0.012" (the exact value is in the JSON).</summary>
    public static string PValue(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Value ± CI half-width with <paramref name="decimals"/> decimals: "0.0735±0.0084".</summary>
    public static string PlusMinus(MetricEstimate m, int decimals)
    {
        var format = "0." + new string('0', decimals);
        return m.Value.ToString(format, CultureInfo.InvariantCulture) + "±" + ((m.CiHigh - m.CiLow) / 2).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Value and interval: "0.0735 [0.0651, 0.0819]".</summary>
    public static string Interval(MetricEstimate m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Value:0.0000} [{m.CiLow:0.0000}, {m.CiHigh:0.0000}]");

    /// <summary>Signed relative change: "+77.0%", or "+77%" when <paramref name="compact"/> and |x| ≥ 10 %.</summary>
    public static string Percent(double relative, bool compact = false) =>
        relative.ToString(compact && Math.Abs(relative) >= 0.1 ? "+0%;-0%;0%" : "+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);

    /// <summary>
    /// A lift cell: relative lift (absolute when the control is 0) and Holm-adjusted p, "*" when significant;
    /// <see cref="ControlCell"/> for a control, "-" for a group compared with nothing.
    /// </summary>
    public static string Lift(VariantReport v, string metric, bool compact = false)
    {
        if (v.Lifts.GetValueOrDefault(metric) is not { } l)
        {
            return v.IsControl ? ControlCell : "-";
        }

        var change = l.Relative is { } r ? Percent(r, compact) : l.Absolute.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture);
        return change + (compact ? " " : " (") + P(l.PValueAdjusted, compact) + (compact ? "" : ")") + (l.Significant ? "*" : "");
    }

    /// <summary>Observed / expected share of the layer's users in percent: "36.3/36.0%", or "36.3%/-" without a configured share.</summary>
    public static string Shares(VariantReport v) => v.ExpectedShare is { } e
        ? string.Create(CultureInfo.InvariantCulture, $"{v.ObservedShare * 100:0.0}/{e * 100:0.0}%")
        : string.Create(CultureInfo.InvariantCulture, $"{v.ObservedShare * 100:0.0}%/-");

    /// <summary>Coverage in percent, or the distinct item count when the catalogue size is unknown.</summary>
    public static string Coverage(VariantReport v) => v.Coverage is { } c
        ? c.ToString("0.0%", CultureInfo.InvariantCulture)
        : v.DistinctItems.ToString(CultureInfo.InvariantCulture) + " items";

    /// <summary>"recall@20", or "recall@K" when K is unknown.</summary>
    public static string AtK(string metric, int k) => metric + "@" + (k > 0 ? k.ToString(CultureInfo.InvariantCulture) : "K");
}
