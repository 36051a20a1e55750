using System.Text;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Api.Exports;

namespace ModelWatch.Portal.Api;

/// <summary>
/// "Export what you see": the figures of a model's page as files, over the same window, version or range the page and
/// /summary take. CSV for spreadsheets, and a self-contained HTML report for a ticket or an email.
/// </summary>
public static class ExportApi
{
    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{id}/drift.csv", DriftCsv).WithName("ExportDriftCsv")
            .WithSummary("The drift table (each feature and the prediction: method, value, threshold, verdict, sample sizes) as CSV.")
            .Produces(StatusCodes.Status200OK, null, "text/csv");
        api.MapGet("/models/{id}/timeline.csv", TimelineCsv).WithName("ExportTimelineCsv")
            .WithSummary("Every chart series per step (traffic, latency, errors, cost, system, performance, drift per feature) as CSV; empty cells are steps without data.")
            .Produces(StatusCodes.Status200OK, null, "text/csv");
        api.MapGet("/models/{id}/report.html", Report).WithName("ExportReport")
            .WithSummary("A self-contained HTML report of the view: summary, drift table and charts as inline SVG (no script, no external files).")
            .Produces(StatusCodes.Status200OK, null, "text/html");
        return api;
    }

    private static IResult DriftCsv(string id, string? window, string? version, string? from, string? to, HttpContext context, ApiCaller callers,
        ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock) =>
        View(id, window, version, from, to, context, callers, summaries, ranges, retention, clock, (model, summary, _) =>
            File(context, "text/csv; charset=utf-8", Name(model, summary, "drift.csv"), (stream, ct) => ViewCsv.WriteDriftAsync(stream, summary, ct)));

    private static IResult TimelineCsv(string id, string? window, string? version, string? from, string? to, HttpContext context, ApiCaller callers,
        ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock) =>
        View(id, window, version, from, to, context, callers, summaries, ranges, retention, clock, (model, summary, timeline) =>
            File(context, "text/csv; charset=utf-8", Name(model, summary, "timeline.csv"),
                (stream, ct) => ViewCsv.WriteTimelineAsync(stream, timeline, model.Features.Select(f => f.Name).ToList(), ct)));

    private static IResult Report(string id, string? window, string? version, string? from, string? to, HttpContext context, ApiCaller callers,
        ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock) =>
        View(id, window, version, from, to, context, callers, summaries, ranges, retention, clock, (model, summary, timeline) =>
            File(context, "text/html; charset=utf-8", Name(model, summary, "report.html"),
                (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(ModelReport.Render(summary, timeline, clock.GetUtcNow())), ct).AsTask()));

    /// <summary>The summary and timeline the caller may read, resolved exactly as /summary and /timeline resolve them.</summary>
    private static IResult View(string id, string? window, string? version, string? from, string? to, HttpContext context, ApiCaller callers,
        ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock,
        Func<ModelDefinition, ModelSummary, ModelTimeline, IResult> answer)
    {
        var (model, chosen, problem) = SummaryApi.Resolve(id, window, version, context, callers);
        if (problem is not null) return problem;
        if (SummaryApi.Range(window, from, to, retention.Value, clock) is var (range, rangeProblem) && rangeProblem is not null) return rangeProblem;
        var summary = range is { } r ? ranges.GetSummary(model!.Id, r.From, r.To, version) : summaries.GetSummary(model!.Id, chosen, version);
        var timeline = range is { } t ? ranges.GetTimeline(model.Id, t.From, t.To, version) : summaries.GetTimeline(model.Id, chosen, version);
        return summary is null || timeline is null ? Problems.NotFound($"Model '{id}' has no version '{version}'.") : answer(model!, summary, timeline);
    }

    private static string Name(ModelDefinition model, ModelSummary summary, string what) =>
        $"{model.Id}-{(summary.Window.Length > 0 ? summary.Window : "range")}{(summary.Version is { } v ? "-v" + v : "")}-{what}";

    private static IResult File(HttpContext context, string contentType, string name, Func<Stream, CancellationToken, Task> write)
    {
        // A downloaded report is opened from disk, not in the portal's origin: attachment, and no sniffing.
        context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name, DispositionType = "attachment" }.ToString();
        return Results.Stream(stream => write(stream, context.RequestAborted), contentType);
    }
}
