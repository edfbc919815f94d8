using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace RecFramework.AspNetCore;

/// <summary>
/// Inline SVG drawings of the experiment page, written as text (no script, nothing loaded): a bucket bar and a line chart
/// whose points carry an interval band (and optionally a second, wider one). Every label is HTML-encoded.
/// </summary>
internal static class SvgChart
{
    /// <summary>Colours for groups, in order; the layer default and reverse buckets have their own.</summary>
    public static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];

    public const string DefaultColour = "#d9d9d9";
    public const string ReverseColour = "#e15759";
    public const string HoldoutColour = "#555555";

    /// <summary>One segment of a bar: [start, start + width) of a total, with its colour and label.</summary>
    public readonly record struct Segment(double Start, double Width, string Colour, string Label);

    /// <summary>A horizontal bar of <paramref name="segments"/> over 0 … <paramref name="total"/>, labelled where wide enough.</summary>
    public static void Bar(StringBuilder html, string cssClass, double total, IReadOnlyList<Segment> segments)
    {
        const double Width = 1000, Height = 34;
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"{cssClass}\" role=\"img\" viewBox=\"0 0 {Width} {Height + 14}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">");
        foreach (var s in segments)
        {
            var x = s.Start / total * Width;
            var w = Math.Max(s.Width / total * Width, 0.5);
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"0\" width=\"{w:0.##}\" height=\"{Height}\" fill=\"{s.Colour}\" stroke=\"#fff\" stroke-width=\"1\"><title>{Encode(s.Label)}</title></rect>");
            if (w > 7.5 * s.Label.Length)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + w / 2:0.##}\" y=\"{Height / 2 + 4}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#111\">{Encode(s.Label)}</text>");
            }
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Height + 12}\" font-size=\"10\" fill=\"#555\">0</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + 12}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">{total:0}</text>");
        html.Append("</svg>");
    }

    /// <summary>A point of a series: its value, its interval and an optional wider interval.</summary>
    public readonly record struct Point(int X, double Y, double Low, double High, double? WideLow = null, double? WideHigh = null);

    /// <summary>A named series of points in one colour.</summary>
    public sealed record Series(string Name, string Colour, IReadOnlyList<Point> Points);

    /// <summary>
    /// A line chart of <paramref name="series"/> over the x values (labelled by <paramref name="xLabel"/>), each point with
    /// its interval as a band (and its wider interval as a paler band), and a zero line when <paramref name="zeroLine"/>.
    /// Bounds that are not finite are left out.
    /// </summary>
    public static void Lines(StringBuilder html, string cssClass, string title, IReadOnlyList<Series> series, Func<int, string> xLabel, bool zeroLine)
    {
        const double W = 640, H = 260, Left = 64, Right = 24, Top = 26, Bottom = 40;
        var points = series.SelectMany(s => s.Points).ToList();
        var xs = points.Select(p => p.X).Distinct().Order().ToList();
        var ys = points.SelectMany(p => new[] { p.Y, p.Low, p.High, p.WideLow ?? p.Y, p.WideHigh ?? p.Y }).Where(double.IsFinite).ToList();
        if (zeroLine)
        {
            ys.Add(0);
        }

        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"{cssClass}\" role=\"img\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Encode(title)}</text>");
        if (xs.Count == 0 || ys.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{H / 2}\" font-size=\"12\">no data yet</text></svg>");
            return;
        }

        var (yMin, yMax) = (ys.Min(), ys.Max());
        var pad = yMax > yMin ? (yMax - yMin) * 0.06 : Math.Max(Math.Abs(yMax) * 0.1, 1e-3);
        (yMin, yMax) = (yMin - pad, yMax + pad);
        double Px(int x) => xs.Count == 1 ? Left + (W - Left - Right) / 2 : Left + xs.IndexOf(x) * (W - Left - Right) / (xs.Count - 1);
        double Py(double y) => Top + (yMax - y) / (yMax - yMin) * (H - Top - Bottom);

        html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{W - Left - Right}\" height=\"{H - Top - Bottom}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var y = yMin + (yMax - yMin) * i / 4;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Py(y) + 4:0.#}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">{Number(y)}</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(xs.Count / 8.0));
        for (var i = 0; i < xs.Count; i += step)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(xs[i]):0.#}\" y=\"{H - Bottom + 14}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{Encode(xLabel(xs[i]))}</text>");
        }

        if (zeroLine && yMin < 0 && yMax > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{W - Right}\" y1=\"{Py(0):0.#}\" y2=\"{Py(0):0.#}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>");
        }

        foreach (var s in series)
        {
            Band(html, s.Points.Where(p => p.WideLow.HasValue && p.WideHigh.HasValue).Select(p => (p.X, p.WideLow!.Value, p.WideHigh!.Value)).ToList(), s.Colour, 0.15, Px, Py, yMin, yMax);
            Band(html, s.Points.Select(p => (p.X, p.Low, p.High)).ToList(), s.Colour, 0.3, Px, Py, yMin, yMax);
            var line = string.Join(' ', s.Points.Where(p => double.IsFinite(p.Y)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{Px(p.X):0.#},{Py(p.Y):0.#}")));
            html.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\" points=\"{line}\"><title>{Encode(s.Name)}</title></polyline>");
            foreach (var p in s.Points.Where(p => double.IsFinite(p.Y)))
            {
                html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(p.X):0.#}\" cy=\"{Py(p.Y):0.#}\" r=\"2.5\" fill=\"{s.Colour}\"/>");
            }
        }

        var lx = Left;
        foreach (var s in series)
        {
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{H - 14}\" width=\"10\" height=\"10\" fill=\"{s.Colour}\"/><text x=\"{lx + 14}\" y=\"{H - 5}\" font-size=\"11\">{Encode(s.Name)}</text>");
            lx += 24 + 7 * s.Name.Length;
        }

        html.Append("</svg>");
    }

    /// <summary>A number in the page's format: 4 significant digits, invariant culture, ∞ for infinities.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when double.IsNaN(value) => "n/a",
        _ => value.ToString("G4", CultureInfo.InvariantCulture),
    };

    /// <summary>HTML-encodes <paramref name="text"/> for element content and quoted attributes (markup characters, quotes, '+'; other Unicode kept, the page is UTF-8).</summary>
    public static string Encode(string text) => Encoder.Encode(text);

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static void Band(StringBuilder html, List<(int X, double Low, double High)> points, string colour, double opacity, Func<int, double> px, Func<double, double> py, double yMin, double yMax)
    {
        var finite = points.Where(p => double.IsFinite(p.Low) && double.IsFinite(p.High)).ToList();
        if (finite.Count == 0)
        {
            return;
        }

        double Clamp(double y) => py(Math.Clamp(y, yMin, yMax));
        var upper = finite.Select(p => string.Create(CultureInfo.InvariantCulture, $"{px(p.X):0.#},{Clamp(p.High):0.#}"));
        var lower = Enumerable.Reverse(finite).Select(p => string.Create(CultureInfo.InvariantCulture, $"{px(p.X):0.#},{Clamp(p.Low):0.#}"));
        if (finite.Count == 1)
        {
            var (x, low, high) = finite[0];
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px(x):0.#}\" x2=\"{px(x):0.#}\" y1=\"{Clamp(low):0.#}\" y2=\"{Clamp(high):0.#}\" stroke=\"{colour}\" stroke-opacity=\"{opacity * 2:0.##}\" stroke-width=\"8\"/>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<polygon fill=\"{colour}\" fill-opacity=\"{opacity:0.##}\" stroke=\"none\" points=\"{string.Join(' ', upper.Concat(lower))}\"/>");
    }
}
