using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>A model's drift thresholds (per model and per feature) and its reference: baseline or an earlier window.</summary>
public static class DriftSettingsApi
{
    public sealed record DriftSettingsRequest(DriftSettings? Settings, string? Reason);

    public static RouteGroupBuilder MapDriftSettingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{id}/drift-settings", Get).WithName("GetDriftSettings")
            .WithSummary("The model's drift thresholds and reference, with the effective values after defaults.");
        api.MapPut("/models/{id}/drift-settings", Put).WithName("PutDriftSettings").JsonBody<DriftSettingsRequest>()
            .WithSummary("Replace the model's drift thresholds and reference (owning team or admin; audited).");
        return api;
    }

    public sealed record DriftSettingsResponse(string Model, DriftSettings Settings, object Effective);

    private static Results<Ok<DriftSettingsResponse>, ProblemHttpResult> Get(string id, HttpContext context, ApiCaller callers, DriftSettingsStore store)
    {
        var (_, model, problem) = callers.Model(context, id, write: false);
        if (model is null) return problem!;
        var settings = store.Get(model);
        return TypedResults.Ok(new DriftSettingsResponse(model.Id, settings, Effective(settings)));
    }

    private static async Task<Results<Ok<DriftSettingsResponse>, ProblemHttpResult>> Put(string id, HttpRequest request, ApiCaller callers, DriftSettingsStore store, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: true);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<DriftSettingsRequest>(request, ct);
        if (body is null) return bodyProblem!;
        if (body.Settings is null)
            return Problems.BadRequest("Send { \"settings\": { … }, \"reason\": \"…\" }; an empty settings object restores the defaults.", [new FieldError("settings", "required")]);
        if (string.IsNullOrWhiteSpace(body.Reason))
            return Problems.BadRequest("Say why the drift settings change ('reason'): the audit trail records it.", [new FieldError("reason", "required")]);
        var outcome = store.Set(model, body.Settings, caller!, body.Reason.Trim());
        return outcome.IsOk ? TypedResults.Ok(new DriftSettingsResponse(model.Id, outcome.Value!, Effective(outcome.Value!))) : Problems.From(outcome);
    }

    private static object Effective(DriftSettings settings)
    {
        var p = settings.ModelPolicy();
        return new
        {
            reference = settings.Reference ?? new DriftReference(),
            p.SmallReferenceMaxRows, p.PValueThreshold, p.WassersteinNormalizedThreshold, p.JensenShannonThreshold,
            p.PsiModerate, p.PsiSignificant, p.DatasetDriftShare,
            features = settings.Features ?? new Dictionary<string, FeatureThresholds>(),
        };
    }
}
