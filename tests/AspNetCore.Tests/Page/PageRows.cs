using System.Globalization;
using System.Text.RegularExpressions;

namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>Reads the figures of a variant's row out of the page's HTML (as served, or as Chromium's DOM after rendering).</summary>
internal static partial class PageRows
{
    public sealed record Row(double Value, double Low, double High, string LiftInterval, string AnytimeInterval, string Decision);

    /// <summary>The row of <paramref name="variant"/> (its label, already HTML-safe) in the first variants table that has it; fails when absent.</summary>
    public static Row Of(string html, string variant)
    {
        var start = html.IndexOf($"<tr class=\"variant\" data-variant=\"{variant}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {variant}");
        var row = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        var value = Cell(row, "value num");
        var interval = Interval(Cell(row, "interval"));
        return new Row(double.Parse(value, CultureInfo.InvariantCulture), interval.Low, interval.High, Cell(row, "lift-interval"), Cell(row, "anytime-interval"),
            row.Contains("class=\"decision\"", StringComparison.Ordinal) ? VerdictPattern().Match(row).Groups[1].Value : "");
    }

    public static (double Low, double High) Interval(string text)
    {
        var match = IntervalPattern().Match(text);
        Assert.True(match.Success, $"'{text}' is not an interval");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static string Cell(string row, string cssClass)
    {
        var match = Regex.Match(row, $"<td class=\"{Regex.Escape(cssClass)}\">([^<]*)</td>");
        Assert.True(match.Success, $"no {cssClass} cell in {row}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^\[(-?[0-9.eE+-]+), (-?[0-9.eE+-]+)\]$")]
    private static partial Regex IntervalPattern();

    [GeneratedRegex("class=\"verdict verdict-[a-z-]+\">([a-z-]+)<")]
    private static partial Regex VerdictPattern();
}
