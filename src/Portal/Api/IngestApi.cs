using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Ingestion;

namespace ModelWatch.Portal.Api;

/// <summary>Predictions, labels, operational metrics and reference baselines. 2xx means committed to disk.</summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder api)
    {
        api.MapPost("/models/{id}/predictions", (string id, HttpRequest r, ApiCaller c, IngestionService s, IOptions<IngestionOptions> o, CancellationToken ct) =>
                Ingest(id, r, c, o, (m, b) => s.IngestPredictionsAsync(m, b, ct), rc => TypedResults.Accepted((string?)null, new PredictionsAccepted(rc.Accepted, rc.Duplicates)), ct))
            .WithName("IngestPredictions").Ingestion<PredictionBatchShape, PredictionsAccepted>(StatusCodes.Status202Accepted).WithSummary("Send a batch of prediction events (all-or-nothing).");
        api.MapPost("/models/{id}/labels", (string id, HttpRequest r, ApiCaller c, IngestionService s, IOptions<IngestionOptions> o, CancellationToken ct) =>
                Ingest(id, r, c, o, (m, b) => s.IngestLabelsAsync(m, b, ct), rc => TypedResults.Accepted((string?)null, new LabelsAccepted(rc.Matched, rc.Unmatched)), ct))
            .WithName("IngestLabels").Ingestion<LabelBatchShape, LabelsAccepted>(StatusCodes.Status202Accepted).WithSummary("Send ground-truth labels; unmatched labels are kept and joined when the prediction arrives.");
        api.MapPost("/models/{id}/metrics", (string id, HttpRequest r, ApiCaller c, IngestionService s, IOptions<IngestionOptions> o, CancellationToken ct) =>
                Ingest(id, r, c, o, (m, b) => s.IngestMetricsAsync(m, b, ct), rc => TypedResults.Accepted((string?)null, new MetricsAccepted(rc.Accepted)), ct))
            .WithName("IngestMetrics").Ingestion<MetricsBatchShape, MetricsAccepted>(StatusCodes.Status202Accepted).WithSummary("Send operational samples (cpu, memory, gpu, errors) and cost records.");
        api.MapPost("/models/{id}/versions/{version}/reference", (string id, string version, HttpRequest r, ApiCaller c, IngestionService s, IOptions<IngestionOptions> o, AuditLog a, CancellationToken ct) =>
                Ingest(id, r, c, o, (m, b) => s.UploadReferenceAsync(m, version, b, ct), rc =>
                {
                    a.Append(new NewAuditEntry(c.Of(r.HttpContext)!.Actor, AuditActions.BaselineUploaded, null, id, version, After: new { rows = rc.Accepted }));
                    return TypedResults.Created($"/api/v1/models/{id}/versions/{version}", new ReferenceStored(id, version, rc.Accepted));
                }, ct))
            .WithName("UploadReference").Ingestion<ReferenceUploadShape, ReferenceStored>(StatusCodes.Status201Created).WithSummary("Upload (replace) the baseline that drift is measured against.");
        return api;
    }

    /// <summary>What an ingestion route accepts and answers, for the OpenAPI document: its body, its success, and backpressure.</summary>
    private static RouteHandlerBuilder Ingestion<TBody, TAnswer>(this RouteHandlerBuilder route, int success) where TBody : notnull =>
        route.JsonBody<TBody>()
            .Produces<TAnswer>(success)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Ingest(
        string modelId, HttpRequest request, ApiCaller callers, IOptions<IngestionOptions> options,
        Func<Engine.Registry.ModelDefinition, ReadOnlyMemory<byte>, Task<IngestResult>> ingest,
        Func<WriteReceipt, IResult> success, CancellationToken ct)
    {
        var (_, model, problem) = callers.Model(request.HttpContext, modelId, write: true);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null) return bodyProblem!;
        using (body)
        {
            var result = await ingest(model, body.Memory);
            switch (result.Status)
            {
                case IngestStatus.Stored:
                    return success(result.Receipt!);
                case IngestStatus.Invalid:
                    return Problems.BadRequest(result.Problem!, result.Errors);
                case IngestStatus.QueueFull:
                    request.HttpContext.Response.Headers.RetryAfter = "1";
                    return Problems.Create(StatusCodes.Status429TooManyRequests, "Ingestion is busy", result.Problem!);
                default:
                    request.HttpContext.Response.Headers.RetryAfter = "5";
                    return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Storage unavailable", result.Problem!);
            }
        }
    }
}
