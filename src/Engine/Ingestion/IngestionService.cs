using Microsoft.Extensions.Options;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

public enum IngestStatus { Stored, Invalid, QueueFull, Unavailable }

/// <summary>The outcome of one ingestion request. <see cref="IngestStatus.Stored"/> means committed to disk.</summary>
public sealed record IngestResult(IngestStatus Status, WriteReceipt? Receipt, string? Problem, IReadOnlyList<FieldError> Errors)
{
    public static IngestResult Refused<T>(ParsedBatch<T> batch) => new(IngestStatus.Invalid, null, batch.Problem, batch.Errors);
}

/// <summary>
/// The one way into the event tables, for the HTTP API and the demo simulator alike: validate the whole batch,
/// hand it to the single writer, and answer only once it is committed.
/// </summary>
public sealed class IngestionService(IngestionWriter writer, IOptions<IngestionOptions> options, TimeProvider clock, IOptions<Retention.RetentionOptions>? retention = null)
{
    private readonly IngestionOptions _options = options.Value;
    private readonly int _rawEventDays = (retention?.Value ?? new Retention.RetentionOptions()).RawEventDays;

    private TimestampBounds Bounds() => TimestampBounds.Around(clock.GetUtcNow(), _options, _rawEventDays);

    public Task<IngestResult> IngestPredictionsAsync(ModelDefinition model, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var batch = PredictionBatchParser.Parse(body, model, _options.MaxEventsPerBatch, Bounds());
        return batch.IsValid ? Submit(new PredictionWrite(model, batch.Records), cancellationToken) : Task.FromResult(IngestResult.Refused(batch));
    }

    public Task<IngestResult> IngestLabelsAsync(ModelDefinition model, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var batch = LabelBatchParser.Parse(body, model, _options.MaxEventsPerBatch, clock.GetUtcNow(), Bounds());
        return batch.IsValid ? Submit(new LabelWrite(model, batch.Records), cancellationToken) : Task.FromResult(IngestResult.Refused(batch));
    }

    public Task<IngestResult> IngestMetricsAsync(ModelDefinition model, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var batch = MetricsBatchParser.Parse(body, _options.MaxEventsPerBatch, model, Bounds());
        return batch.IsValid ? Submit(new MetricsWrite(model, batch.Records[0]), cancellationToken) : Task.FromResult(IngestResult.Refused(batch));
    }

    public Task<IngestResult> UploadReferenceAsync(ModelDefinition model, string version, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (!model.VersionKeys.TryGetValue(version, out var versionPk))
            return Task.FromResult(new IngestResult(IngestStatus.Invalid, null, $"Model '{model.Id}' has no version '{version}'; register it first with POST /api/v1/models/{model.Id}/versions.", [new FieldError("version", "not registered")]));
        var batch = ReferenceParser.Parse(body, model, _options.MaxReferenceRows);
        return batch.IsValid ? Submit(new ReferenceWrite(model, versionPk, batch.Records), cancellationToken) : Task.FromResult(IngestResult.Refused(batch));
    }

    private async Task<IngestResult> Submit(WriteCommand command, CancellationToken cancellationToken)
    {
        if (!writer.TryEnqueue(command))
        {
            return writer.IsRunning
                ? new IngestResult(IngestStatus.QueueFull, null, "The ingestion queue is full; retry after the delay in the Retry-After header.", [])
                : new IngestResult(IngestStatus.Unavailable, null, "The ingestion writer is not running; the portal is starting or stopping.", []);
        }
        try
        {
            // Once queued the batch will be committed even if the caller goes away; only the wait is cancellable.
            var receipt = await command.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new IngestResult(IngestStatus.Stored, receipt, null, []);
        }
        catch (StorageUnavailableException e)
        {
            return new IngestResult(IngestStatus.Unavailable, null, e.Message, []);
        }
    }
}
