using System.Globalization;
using System.Net;
using System.Text;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Api.Exports;

/// <summary>
/// A model's current view as one self-contained HTML file: the headline figures, the drift table and the time charts
/// as inline SVG. No script and no external resource, so it opens offline and can be attached to a ticket. Every
/// user-supplied text (model, feature and reference names) is HTML-encoded.
/// </summary>
public static class ModelReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:920px;color:#1f2329;padding:0 16px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted,svg text.muted{color:#5f6368;fill:#5f6368}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid #e0e3e8;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b3261e;font-weight:600}.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px}
        .stat{border-left:3px solid #c4c7cc;padding:4px 10px}.stat b{display:block;font-size:18px}figure{margin:12px 0}figcaption{font-size:13px;font-weight:600;margin-bottom:4px}
        svg{width:100%;height:auto;font-size:11px;fill:#5f6368}svg .axis{stroke:#9aa0a6}svg .grid{stroke:#e0e3e8}
        """;

    public static string Render(ModelSummary s, ModelTimeline timeline, DateTimeOffset now)
    {
        var html = new StringBuilder();
        var scope = s.Version is null ? "all versions" : "version " + s.Version;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E($"{s.ModelName} · ModelWatch report")).Append("</title><style>")
            .Append(Style).Append("</style></head><body><main>");
        html.Append("<h1>").Append(E(s.ModelName)).Append("</h1><p class=\"muted\">")
            .Append(E($"{s.ModelId} · {s.Task} · team {s.Team ?? "none"} · {scope} · {Range(s)} · generated {Stamp(now)}")).Append("</p>");

        html.Append("<h2>Summary</h2><div class=\"stats\">");
        Stat(html, "Predictions", Format.Count(s.Traffic.Predictions), $"{Format.PerSecond(s.Traffic.EventsPerSecond)} average while sending");
        Stat(html, "Error rate", Format.Percent(s.Traffic.ErrorRate, 2), Format.Plural(s.Traffic.Errors, "error") + (s.Traffic.ErrorsModelWide ? " (model-wide)" : ""));
        Stat(html, "Latency p95", Format.Ms(s.Latency.P95), s.Latency.SloMs is { } slo ? $"SLO {Format.Ms(slo)}{(s.Latency.SloBreached == true ? ", breached" : "")}" : "no SLO set");
        Stat(html, "Dataset drift", s.Drift.EvaluatedCount == 0 ? Format.Missing : s.Drift.DatasetDrift ? "Yes" : "No",
            $"{s.Drift.DriftedCount} of {s.Drift.EvaluatedCount} features drifted, against {s.Drift.Reference}");
        Stat(html, HeadlineMetric.Title(s.Performance.Headline), s.Performance.TooFewLabels ? "too few labels" : HeadlineMetric.Value(s.Performance.Headline, s.Performance.HeadlineValue),
            $"{Format.Count(s.Performance.Labeled)} labelled, coverage {Format.Percent(s.Performance.Coverage)}");
        Stat(html, "Spend (month)", Format.Usd(s.Cost.MonthToDate), s.Cost.MonthlyBudget is { } budget ? $"of {Format.Usd(budget)}, projected {CostProjectionText.Value(s.Cost)}" : "no budget set");
        html.Append("</div>");

        html.Append("<h2>Drift</h2>");
        if (s.Drift.Features.Count == 0) html.Append("<p class=\"muted\">").Append(E(s.Drift.Reason ?? "No drift results in this window.")).Append("</p>");
        else
        {
            html.Append("<table><thead><tr><th>Feature</th><th>Method</th><th class=\"n\">Value</th><th class=\"n\">Threshold</th><th>Drifted</th><th class=\"n\">Reference n</th><th class=\"n\">Current n</th></tr></thead><tbody>");
            foreach (var f in DriftRows.DefaultOrder(s.Drift.Features))
                html.Append("<tr><td>").Append(E(f.Feature)).Append("</td><td>").Append(E(DriftRows.MethodName(f.Method))).Append("</td><td class=\"n\">").Append(E(DriftRows.ValueText(f)))
                    .Append("</td><td class=\"n\">").Append(E(Format.Number(f.Threshold, 2))).Append("</td><td").Append(f.Drifted ? " class=\"bad\">drifted" : ">" + E(f.Reason ?? "no"))
                    .Append("</td><td class=\"n\">").Append(Format.Count(f.ReferenceSize)).Append("</td><td class=\"n\">").Append(Format.Count(f.CurrentSize)).Append("</td></tr>");
            html.Append("</tbody></table>");
        }

        var points = timeline.Points.Where(p => timeline.HistoryStart is { } start && p.Time + timeline.Step > start).ToList();
        var times = points.Select(p => p.Time).ToList();
        IReadOnlyList<double?> Of(Func<TimelinePoint, double?> read) => points.Select(read).ToList();
        html.Append("<h2>Over time</h2><p class=\"muted\">").Append(E($"Steps of {Step(timeline.Step)}; gaps are steps without data.")).Append("</p>");
        html.Append(SvgLineChart.Render("Throughput (events/s)", times, [new("events/s", "#3f51b5", Of(p => p.EventsPerSecond))], v => v.ToString("0.##", CultureInfo.InvariantCulture)));
        html.Append(SvgLineChart.Render("Latency (ms)", times,
        [
            new("p50", "#00897b", Of(p => p.P50)), new("p95", "#3f51b5", Of(p => p.P95)), new("p99", "#8e24aa", Of(p => p.P99)),
            .. s.Latency.SloMs is { } sloMs ? new[] { new SvgSeries("SLO", "#d32f2f", points.Select(_ => (double?)sloMs).ToList(), Dashed: true) } : [],
        ], v => v.ToString("0.#", CultureInfo.InvariantCulture)));
        html.Append(SvgLineChart.Render("Error rate", times, [new("errors", "#d32f2f", Of(p => p.ErrorRate))], v => Format.Percent(v, 2)));
        html.Append(SvgLineChart.Render("Share of features drifted", times,
            [new("drifted share", "#f57c00", Of(p => p.DriftShare)), new("dataset drift threshold", "#d32f2f", points.Select(_ => (double?)s.Drift.ShareThreshold).ToList(), Dashed: true)],
            v => Format.Percent(v, 0)));
        html.Append(SvgLineChart.Render("Spend per step (USD)", times, [new("USD", "#6d4c41", Of(p => p.Partial ? null : p.CostUsd))], v => v.ToString("0.####", CultureInfo.InvariantCulture)));
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void Stat(StringBuilder html, string label, string value, string detail) =>
        html.Append("<div class=\"stat\"><span class=\"muted\">").Append(E(label)).Append("</span><b>").Append(E(value)).Append("</b><span class=\"muted\">").Append(E(detail)).Append("</span></div>");

    private static string Range(ModelSummary s) => $"{Stamp(s.From)} – {Stamp(s.To)}";

    private static string Step(TimeSpan step) => step.TotalHours >= 1 ? $"{step.TotalHours:0.#} h" : $"{step.TotalMinutes:0.#} min";

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
