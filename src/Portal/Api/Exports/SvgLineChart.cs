using System.Globalization;
using System.Net;
using System.Text;

namespace ModelWatch.Portal.Api.Exports;

/// <summary>One line of a static chart: a name, a colour and a value per step (null is a gap, not zero).</summary>
public sealed record SvgSeries(string Name, string Color, IReadOnlyList<double?> Values, bool Dashed = false);

/// <summary>
/// A small static line chart as inline SVG for the self-contained report: no script, no external file. Lines break
/// at steps without data, a lone point is drawn as a dot, and the axis starts at zero.
/// </summary>
public static class SvgLineChart
{
    private const int Width = 720, Height = 170, Left = 56, Right = 12, Top = 22, Bottom = 24;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(string title, IReadOnlyList<DateTimeOffset> times, IReadOnlyList<SvgSeries> series, Func<double, string> format)
    {
        var svg = new StringBuilder();
        var values = series.SelectMany(s => s.Values).OfType<double>().Where(double.IsFinite).ToList();
        svg.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Html(title)}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html(title)}\">");
        if (times.Count == 0 || values.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" class=\"muted\">No data in this window</text></svg></figure>");
            return svg.ToString();
        }
        var max = Math.Max(values.Max(), 0);
        if (max <= 0) max = 1;
        double X(int i) => times.Count == 1 ? Left + (Width - Left - Right) / 2.0 : Left + i * (Width - Left - Right) / (double)(times.Count - 1);
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - v / max);

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(0):F1}\" x2=\"{Width - Right}\" y2=\"{Y(0):F1}\" class=\"axis\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(max):F1}\" x2=\"{Width - Right}\" y2=\"{Y(max):F1}\" class=\"grid\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(max) + 4:F1}\" text-anchor=\"end\">{Html(format(max))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(0) + 4:F1}\" text-anchor=\"end\">{Html(format(0))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 6}\">{Stamp(times[0])}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\">{Stamp(times[^1])}</text>");

        var legendX = Left;
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/><text x=\"{legendX + 14}\" y=\"13\">{Html(s.Name)}</text>");
            legendX += 24 + 7 * s.Name.Length;
            var dash = s.Dashed ? " stroke-dasharray=\"5 4\"" : "";
            foreach (var run in Runs(s.Values))
            {
                if (run.Count == 1)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(run[0].Index):F1}\" cy=\"{Y(run[0].Value):F1}\" r=\"2.5\" fill=\"{s.Color}\"/>");
                else
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\"{dash} points=\"{string.Join(' ', run.Select(p => $"{X(p.Index).ToString("F1", Inv)},{Y(p.Value).ToString("F1", Inv)}"))}\"/>");
            }
        }
        svg.Append("</svg></figure>");
        return svg.ToString();
    }

    /// <summary>Consecutive steps with values: a null ends a run, so a gap is drawn as a gap.</summary>
    private static IEnumerable<List<(int Index, double Value)>> Runs(IReadOnlyList<double?> values)
    {
        var run = new List<(int, double)>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v && double.IsFinite(v)) { run.Add((i, v)); continue; }
            if (run.Count > 0) { yield return run; run = []; }
        }
        if (run.Count > 0) yield return run;
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
