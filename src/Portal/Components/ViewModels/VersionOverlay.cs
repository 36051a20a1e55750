using ModelWatch.Engine.Windows;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// "Compare versions": each version's own timeline, drawn on every time chart of the model page as one dotted line per
/// version for the chart's main series (the first that is not a reference line, or the one marked Primary). A snapshot
/// taken when the page loads; the model's own lines keep updating live.
/// </summary>
public sealed class VersionOverlay(IReadOnlyList<(string Version, IReadOnlyList<TimelinePoint> Points)> versions)
{
    public const string QueryKey = "compare";
    public const string QueryValue = "versions";

    /// <summary>At most this many versions, newest first: more lines than that no longer compare.</summary>
    public const int MaxVersions = 4;

    public IReadOnlyList<(string Version, IReadOnlyList<TimelinePoint> Points)> Versions { get; } = versions;

    public static SeriesSpec? MainSeries(IReadOnlyList<SeriesSpec> series) => series.FirstOrDefault(s => s.Primary) ?? series.FirstOrDefault(s => !s.Dashed);

    public IEnumerable<ITrace> Traces(IReadOnlyList<SeriesSpec> series)
    {
        if (MainSeries(series) is not { } main) yield break;
        for (var i = 0; i < Versions.Count; i++)
        {
            var (version, points) = Versions[i];
            var color = Charts.Palette[(i + 4) % Charts.Palette.Length];
            yield return new Scatter
            {
                Name = Charts.PlotText($"{main.Name} · v{version}"),
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = points.Select(p => (object)p.Time.UtcDateTime).ToList(),
                Y = points.Select(p => (object?)main.ValueAt(p)).ToList()!,
                YAxis = main.SecondaryAxis ? "y2" : "y",
                ConnectGaps = false,
                Marker = new Marker { Size = 3, Color = color },
                Line = new Line { Color = color, Width = 1.5m, Dash = "dot" },
            };
        }
    }
}
