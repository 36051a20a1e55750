using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Api;

/// <summary>Model registration, versions and what has arrived for each model.</summary>
public static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/models", CreateModel).WithName("CreateModel").JsonBody<NewModel>().WithSummary("Register a model with its feature schema.");
        api.MapGet("/models", ListModels).WithName("ListModels").WithSummary("Models the caller can see, with ingestion stats.");
        api.MapGet("/models/{id}", GetModel).WithName("GetModel").WithSummary("One model with its ingestion stats.");
        api.MapPost("/models/{id}/versions", CreateVersion).WithName("CreateVersion").JsonBody<NewVersion>().WithSummary("Register a model version.");
        api.MapGet("/models/{id}/versions", GovernanceApi.ListVersions).WithName("ListVersions").WithSummary("The model's versions with metadata.");
        api.MapPut("/models/{id}/limits", ChangeLimits).WithName("ChangeLimits").JsonBody<ModelLimitsChange>()
            .WithSummary("Change the model's monthly budget, latency SLO or decision threshold, with a reason (audited).");
        return api;
    }

    private static async Task<Results<Created<ModelResponse>, ProblemHttpResult>> CreateModel(HttpRequest request, ApiCaller callers, RegistryStore registry, AuditLog audit, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (caller.IsReadOnly) return Problems.Forbidden("Auditors read everything and change nothing.");
        var (body, problem) = await RequestBody.ReadObjectAsync<NewModel>(request, ct);
        if (body is null) return problem!;
        if (!caller.IsAdmin)
        {
            // A team key or member registers models for its own team; the team may be left out.
            var team = body.Team ?? (caller.Teams.Count == 1 ? caller.Teams.First() : null);
            if (team is null || !caller.Teams.Contains(team))
                return Problems.Forbidden("You may only register models for your own team; set 'team' to one of: " + string.Join(", ", caller.Teams) + ".");
            body = body with { Team = team };
        }
        var outcome = registry.CreateModel(body);
        if (!outcome.IsOk) return Problems.From(outcome);
        var model = outcome.Value!;
        var response = ModelResponse.From(model, registry.GetStats(model));
        audit.Append(new NewAuditEntry(caller.Actor, AuditActions.ModelRegistered, model.TeamId, model.Id, After: response with { Stats = null! }));
        return TypedResults.Created($"/api/v1/models/{model.Id}", response);
    }

    private static Ok<List<ModelResponse>> ListModels(HttpContext context, ApiCaller callers, RegistryStore registry)
    {
        var caller = callers.Of(context)!;
        return TypedResults.Ok(registry.ListModels().Where(caller.CanRead).Select(m => ModelResponse.From(m, registry.GetStats(m))).ToList());
    }

    private static Results<Ok<ModelResponse>, ProblemHttpResult> GetModel(string id, HttpContext context, ApiCaller callers, RegistryStore registry)
    {
        var (_, model, problem) = callers.Model(context, id, write: false);
        return model is null ? problem! : TypedResults.Ok(ModelResponse.From(model, registry.GetStats(model)));
    }

    private static async Task<Results<Created<VersionResponse>, ProblemHttpResult>> CreateVersion(string id, HttpRequest request, ApiCaller callers, RegistryStore registry, AuditLog audit, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: true);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<NewVersion>(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = registry.CreateVersion(model.Id, body, caller!.Actor);
        if (outcome.IsOk) audit.Append(new NewAuditEntry(caller.Actor, AuditActions.VersionRegistered, model.TeamId, model.Id, outcome.Value!.Version, After: VersionResponse.From(outcome.Value)));
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/models/{model.Id}/versions/{outcome.Value!.Version}", VersionResponse.From(outcome.Value))
            : Problems.From(outcome);
    }

    private static async Task<Results<Ok<ModelLimits>, ProblemHttpResult>> ChangeLimits(string id, HttpRequest request, ApiCaller callers, ModelLimitsStore limits, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: true);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<ModelLimitsChange>(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = limits.Change(model, body, caller!);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problems.From(outcome);
    }
}
