using System.Globalization;
using CsvHelper;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api.Exports;

/// <summary>
/// What a model's panels show, as CSV: the drift table, and every timeline series per step. A step without data is
/// an empty cell, never 0. Text cells that a spreadsheet would run as a formula (= + - @) get a leading apostrophe (OWASP),
/// the rule the audit exports follow.
/// </summary>
public static class ViewCsv
{
    // CsvHelper's defaults (RFC 4180, no injection handling): numbers stay numbers (a negative value must stay one),
    // and text that users named goes through Text().

    public static async Task WriteDriftAsync(Stream output, ModelSummary summary, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, options: null, leaveOpen: true);
        foreach (var header in new[] { "feature", "type", "method", "value", "threshold", "drifted", "pValue", "ksStatistic", "psi", "psiBinning", "jensenShannon", "wassersteinNormalized", "referenceSize", "currentSize", "approximate", "reason" })
            csv.WriteField(header);
        await csv.EndRecordAsync(cancellationToken);
        var rows = summary.Predictions.Drift is { } prediction ? summary.Drift.Features.Append(prediction with { Feature = "(prediction)" }) : summary.Drift.Features;
        foreach (var f in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Text(csv, f.Feature); Text(csv, f.Type); Text(csv, f.Method); Number(csv, f.Value); Number(csv, f.Threshold);
            csv.WriteField(f.Reason is null ? (f.Drifted ? "true" : "false") : ""); Number(csv, f.PValue); Number(csv, f.KsStatistic); Number(csv, f.Psi);
            Text(csv, f.Binning); Number(csv, f.JensenShannon); Number(csv, f.WassersteinNormalized);
            Count(csv, f.ReferenceSize); Count(csv, f.CurrentSize); csv.WriteField(f.Approximate ? "true" : "false"); Text(csv, f.Reason);
            await csv.EndRecordAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>The timeline's columns, then one drift column per feature ("drift:name"), in the model's feature order.</summary>
    public static async Task WriteTimelineAsync(Stream output, ModelTimeline timeline, IReadOnlyList<string> features, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, options: null, leaveOpen: true);
        string[] headers = ["time", "partial", "predictions", "eventsPerSecond", "p50Ms", "p95Ms", "p99Ms", "errors", "errorRate", "costUsd", "cpuPercent", "memoryMb",
            "gpuPercent", "predictionMean", "headlineMetric", "labelCoverage", "labeled", "driftedShare"];
        foreach (var header in headers) csv.WriteField(header);
        foreach (var feature in features) Text(csv, "drift:" + feature);
        await csv.EndRecordAsync(cancellationToken);
        // Steps before the data begins carry nothing at all: they are left out rather than written as empty rows.
        foreach (var p in timeline.Points.Where(p => timeline.HistoryStart is { } start && p.Time + timeline.Step > start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            csv.WriteField(p.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)); csv.WriteField(p.Partial ? "true" : "false");
            Count(csv, p.Predictions); Number(csv, p.EventsPerSecond); Number(csv, p.P50); Number(csv, p.P95); Number(csv, p.P99); Count(csv, p.Errors);
            Number(csv, p.ErrorRate); Number(csv, p.CostUsd); Number(csv, p.CpuPercent); Number(csv, p.MemoryMb); Number(csv, p.GpuPercent); Number(csv, p.PredictionMean);
            Number(csv, p.PrimaryMetric); Number(csv, p.Coverage); Count(csv, p.Labeled); Number(csv, p.DriftShare);
            foreach (var feature in features) Number(csv, p.FeatureDrift.TryGetValue(feature, out var v) ? v : null);
            await csv.EndRecordAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    private static void Text(CsvWriter csv, string? text) =>
        csv.WriteField(text is { Length: > 0 } t && t[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + t : text);

    private static void Count(CsvWriter csv, long count) => csv.WriteField(count.ToString(CultureInfo.InvariantCulture));

    private static void Number(CsvWriter csv, double? value) =>
        csv.WriteField(value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
}
