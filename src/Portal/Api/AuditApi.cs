using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>The governance audit log: pages, chain verification, compliance exports and per-model evidence packs.</summary>
public static class AuditApi
{
    public const string ManifestHeaderPrefix = "X-Audit-";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).WithName("ListAudit").WithSummary("Audit entries, newest first, filtered and paged by sequence cursor (admins and auditors).")
            .AddOpenApiOperationTransformer(DescribeFilters);
        api.MapGet("/audit/verify", Verify).WithName("VerifyAudit").WithSummary("Walk the hash chain: valid with the last hash, or the first bad sequence and why.");
        api.MapGet("/audit/export", Export).WithName("ExportAudit").WithSummary("Stream entries as CSV or JSON Lines; the manifest is in X-Audit-* headers.")
            .Produces(StatusCodes.Status200OK, null, "text/csv", "application/x-ndjson")
            .AddOpenApiOperationTransformer(DescribeFilters);
        api.MapGet("/models/{id}/evidence", Evidence).WithName("GetEvidence").WithSummary("ZIP: model card (JSON and Markdown), the model's audit trail as CSV, and a manifest.")
            .Produces(StatusCodes.Status200OK, null, "application/zip");
        return api;
    }

    public sealed record AuditEntryResponse(long Sequence, DateTimeOffset At, string Actor, string Action, string? Team, string? Model, string? Version,
        JsonElement? Before, JsonElement? After, string? Reason, string PrevHash, string Hash)
    {
        public static AuditEntryResponse From(AuditEntry e) => new(e.Sequence, e.At, e.Actor, e.Action, e.SubjectTeam, e.SubjectModel, e.SubjectVersion,
            Parse(e.Before), Parse(e.After), e.Reason, e.PrevHash, e.Hash);

        private static JsonElement? Parse(string? json)
        {
            if (json is null) return null;
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
    }

    public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, long? NextCursor);

    private static Results<Ok<AuditPageResponse>, ProblemHttpResult> List(HttpContext context, ApiCaller callers, AuditLog audit, long? cursor, int? limit)
    {
        if (Refused(callers.Of(context)!) is { } refused) return refused;
        var (filter, problem) = Filter(context.Request);
        if (filter is null) return problem!;
        if (limit is < 1 or > 1000) return Problems.BadRequest("'limit' must be between 1 and 1000 (default 100).", [new("limit", "out of range")]);
        var page = audit.Page(filter, cursor, limit ?? 100);
        return TypedResults.Ok(new AuditPageResponse(page.Entries.Select(AuditEntryResponse.From).ToList(), page.NextCursor));
    }

    private static Results<Ok<VerifyResponse>, ProblemHttpResult> Verify(HttpContext context, ApiCaller callers, AuditLog audit, CancellationToken ct)
    {
        if (Refused(callers.Of(context)!) is { } refused) return refused;
        var result = audit.Verify(ct);
        return TypedResults.Ok(VerifyResponse.From(result));
    }

    /// <summary>The answer of /audit/verify: { valid, entries, lastHash } or { valid: false, firstBadSequence, reason }.</summary>
    public sealed record VerifyResponse(bool Valid, long Entries, string? LastHash, long? FirstBadSequence, string? Reason)
    {
        public static VerifyResponse From(AuditVerification v) => new(v.Valid, v.Entries, v.LastHash, v.FirstBadSequence, v.Reason);
    }

    /// <summary>
    /// Two passes over the same pinned range: the first only hashes, so that the manifest (with the body's SHA-256) goes
    /// out in headers before the body; the second streams. Entries never change, so both passes produce the same bytes.
    /// </summary>
    private static async Task<IResult> Export(HttpContext context, ApiCaller callers, AuditLog audit, string? format, CancellationToken ct)
    {
        var caller = callers.Of(context)!;
        if (Refused(caller) is { } refused) return refused;
        if (!AuditExport.TryParseFormat(format, out var chosen))
            return Problems.BadRequest($"'format' must be csv or jsonl (got '{format}').", [new("format", "unknown format")]);
        var (filter, problem) = Filter(context.Request);
        if (filter is null) return problem!;

        var head = audit.HeadSequence();
        var manifest = await audit.ExportAsync(new HashingStream(null), filter, chosen, head, ct);
        audit.Append(new NewAuditEntry(caller.Actor, AuditActions.AuditExported, filter.Team, filter.Model, After: new { manifest, filter }));

        var response = context.Response;
        foreach (var (name, value) in ManifestHeaders(manifest)) response.Headers[name] = value;
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-{head}.{AuditExport.Extension(chosen)}\"";
        response.ContentType = AuditExport.ContentType(chosen);
        response.ContentLength = manifest.BodyBytes;
        await audit.ExportAsync(response.Body, filter, chosen, head, ct);
        return Results.Empty;
    }

    public static IEnumerable<(string Name, string Value)> ManifestHeaders(AuditExportManifest m)
    {
        yield return (ManifestHeaderPrefix + "Entries", m.Entries.ToString(CultureInfo.InvariantCulture));
        if (m.FirstSequence is { } first) yield return (ManifestHeaderPrefix + "First-Sequence", first.ToString(CultureInfo.InvariantCulture));
        if (m.FirstHash is { } firstHash) yield return (ManifestHeaderPrefix + "First-Hash", firstHash);
        if (m.LastSequence is { } last) yield return (ManifestHeaderPrefix + "Last-Sequence", last.ToString(CultureInfo.InvariantCulture));
        if (m.LastHash is { } lastHash) yield return (ManifestHeaderPrefix + "Last-Hash", lastHash);
        yield return (ManifestHeaderPrefix + "Chain-Head", m.ChainHeadSequence.ToString(CultureInfo.InvariantCulture));
        yield return (ManifestHeaderPrefix + "Body-SHA256", m.BodySha256);
        // RFC 9530, for clients that check digests themselves.
        yield return ("Repr-Digest", $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(m.BodySha256))}:");
    }

    private static async Task<IResult> Evidence(string id, HttpContext context, ApiCaller callers, AuditLog audit, OwnershipStore ownership, AliasStore aliases,
        ISummaryReader summaries, TimeProvider clock, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(context, id, write: false);
        if (model is null) return problem!;
        var now = clock.GetUtcNow();
        var head = audit.HeadSequence();
        var chain = audit.Verify(ct);
        var card = ModelCard.Build(model, ownership.Get(model), aliases.Versions(model), aliases.AliasesOf(model), aliases.Requests(model),
            summaries.GetSummary(model.Id, SummaryWindow.OneDay), now, caller!.Actor);

        // A temp file, not memory: the trail of a busy model can be large. Deleted when the response is done.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var files = new List<object>();
        AuditExportManifest trail;
        await using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            files.Add(await AddAsync(zip, "model-card.json", s => s.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(card, Json), ct).AsTask()));
            files.Add(await AddAsync(zip, "model-card.md", s => s.WriteAsync(Encoding.UTF8.GetBytes(ModelCard.Markdown(card)), ct).AsTask()));
            trail = null!;
            files.Add(await AddAsync(zip, "audit-trail.csv", async s => trail = await audit.ExportAsync(s, new AuditFilter(Model: model.Id), AuditExportFormat.Csv, head, ct)));
            var manifest = new
            {
                model = model.Id, generatedAt = now, generatedBy = caller.Actor, files,
                auditTrail = new { trail.Entries, trail.FirstSequence, trail.FirstHash, trail.LastSequence, trail.LastHash, trail.BodySha256, chainHead = head },
                chain = VerifyResponse.From(chain),
            };
            await AddAsync(zip, "manifest.json", s => s.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, Json), ct).AsTask());
        }
        audit.Append(new NewAuditEntry(caller.Actor, AuditActions.EvidenceExported, model.TeamId, model.Id,
            After: new { files, trail = new { trail.Entries, trail.LastSequence, trail.LastHash }, chainValid = chain.Valid }));
        file.Position = 0;
        return Results.File(file, "application/zip", $"{model.Id}-evidence-{now:yyyyMMddTHHmmssZ}.zip");
    }

    private static async Task<object> AddAsync(ZipArchive zip, string name, Func<Stream, Task> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync();
        var hashing = new HashingStream(stream);
        await write(hashing);
        await hashing.FlushAsync();
        return new { name, sha256 = hashing.Sha256Hex(), bytes = hashing.Length };
    }

    private static ProblemHttpResult? Refused(Caller caller) => caller.ReadsEverything ? null :
        Problems.Forbidden("Only admins and auditors read the audit log. Team members can download their model's evidence pack with GET /api/v1/models/{id}/evidence.");

    /// <summary>The query filters of /audit and /audit/export: <see cref="Filter"/> reads them, the OpenAPI document lists them.</summary>
    private static readonly (string Name, bool IsTime, string Description)[] FilterParameters =
    [
        ("team", false, "Only entries about this team."),
        ("model", false, "Only entries about this model."),
        ("actor", false, "Only entries by this actor, e.g. user:dana or key:<id>."),
        ("action", false, "Only this action, e.g. alias.approved."),
        ("from", true, "Entries at or after this time (ISO 8601, UTC offset; UTC when left out)."),
        ("to", true, "Entries before this time (ISO 8601)."),
    ];

    private static Task DescribeFilters(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters ??= [];
        foreach (var (name, isTime, description) in FilterParameters)
        {
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = name,
                In = Microsoft.OpenApi.ParameterLocation.Query,
                Description = description,
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = isTime ? "date-time" : null },
            });
        }
        return Task.CompletedTask;
    }

    private static (AuditFilter? Filter, ProblemHttpResult? Problem) Filter(HttpRequest request)
    {
        var q = request.Query;
        var errors = new List<Engine.FieldError>();
        DateTimeOffset? Time(string name)
        {
            var text = q[name].ToString();
            if (string.IsNullOrEmpty(text)) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
            errors.Add(new(name, $"'{name}' must be an ISO 8601 time, e.g. 2026-11-23T12:00:00Z (got '{text}')."));
            return null;
        }
        string? Text(string name) => string.IsNullOrEmpty(q[name]) ? null : q[name].ToString();
        var filter = new AuditFilter(Text("team"), Text("model"), Text("actor"), Text("action"), Time("from"), Time("to"));
        return errors.Count > 0 ? (null, Problems.BadRequest(errors[0].Reason, errors)) : (filter, null);
    }
}
