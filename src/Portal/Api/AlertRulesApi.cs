using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Registry;

using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Api;

/// <summary>Alert rules: create, read, change, delete, and try one on stored history before saving it.</summary>
public static class AlertRulesApi
{
    public static RouteGroupBuilder MapAlertRulesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/alert-rules", Create).WithName("CreateAlertRule").JsonBody<AlertRuleSpec>().WithSummary("Create an alert rule on a model or on every model of a team (admin or a lead of the owner team).");
        api.MapGet("/alert-rules", List).WithName("ListAlertRules").WithSummary("Rules the caller may see; ?model= for the rules that watch one model, ?team= for a team's.");
        api.MapGet("/alert-rules/{id}", Get).WithName("GetAlertRule").WithSummary("One rule with the live state of each of its series.");
        api.MapPut("/alert-rules/{id}", Update).WithName("UpdateAlertRule").JsonBody<AlertRuleSpec>().WithSummary("Replace a rule; its open alerts resolve and its series start afresh.");
        api.MapDelete("/alert-rules/{id}", Delete).WithName("DeleteAlertRule").WithSummary("Delete a rule; its open alerts resolve.");
        api.MapPost("/alert-rules/preview", Preview).WithName("PreviewAlertRule").JsonBody<AlertPreviewRequest>()
            .WithSummary("Evaluate a rule body on stored history (from/to, default the last 7 days): the spans it would have fired and the series it saw.");
        return api;
    }

    private static async Task<Results<Created<AlertRuleResponse>, ProblemHttpResult>> Create(HttpRequest request, ApiCaller callers, AlertRuleCommands commands, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (caller.IsReadOnly) return Problems.Forbidden("Auditors read everything and change nothing.");
        var (spec, problem) = await RequestBody.ReadObjectAsync<AlertRuleSpec>(request, ct);
        if (spec is null) return problem!;
        var outcome = commands.Create(spec, caller);
        if (outcome.Kind == Engine.OutcomeKind.NotFound) RefusalAudit.MarkRefused(request.HttpContext); // another team's model, answered as unknown
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/alert-rules/{outcome.Value!.Rule.Id}", AlertRuleResponse.From(outcome.Value, []))
            : Problems.From(outcome);
    }

    private static Results<Ok<List<AlertRuleResponse>>, ProblemHttpResult> List(string? model, string? team, HttpContext context, ApiCaller callers,
        AlertRuleStore rules, AlertRuleCommands commands, AlertEvaluator evaluator)
    {
        var caller = callers.Of(context)!;
        ModelDefinition? watched = null;
        if (model is not null)
        {
            (_, watched, var problem) = callers.Model(context, model, write: false);
            if (watched is null) return problem!;
        }
        if (team is not null && !caller.ReadsEverything && !caller.Teams.Contains(team))
            return Problems.Forbidden($"You are not a member of team '{team}', so its alert rules are not listed for you.");
        var series = evaluator.SeriesByRule();
        var visible = rules.All()
            .Where(r => commands.CanRead(r.Rule, caller))
            .Where(r => watched is null || r.Rule.Model == watched.Id || (r.Rule.Team is not null && r.Rule.Team == watched.TeamId))
            .Where(r => team is null || commands.OwnerTeam(r.Rule) == team)
            .Select(r => AlertRuleResponse.From(r, Series(series[r.Rule.Id])))
            .ToList();
        return TypedResults.Ok(visible);
    }

    private static Results<Ok<AlertRuleResponse>, ProblemHttpResult> Get(string id, HttpContext context, ApiCaller callers, AlertRuleStore rules,
        AlertRuleCommands commands, AlertEvaluator evaluator)
    {
        var (stored, problem) = Visible(context, id, callers.Of(context)!, rules, commands);
        return stored is null ? problem! : TypedResults.Ok(AlertRuleResponse.From(stored, Series(evaluator.SeriesOf(id))));
    }

    private static async Task<Results<Ok<AlertRuleResponse>, ProblemHttpResult>> Update(string id, HttpRequest request, ApiCaller callers, AlertRuleStore rules,
        AlertRuleCommands commands, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        var (_, refused) = Visible(request.HttpContext, id, caller, rules, commands);
        if (refused is not null) return refused;
        var (spec, problem) = await RequestBody.ReadObjectAsync<AlertRuleSpec>(request, ct);
        if (spec is null) return problem!;
        var outcome = commands.Update(id, spec, caller);
        if (outcome.Kind == Engine.OutcomeKind.NotFound) RefusalAudit.MarkRefused(request.HttpContext); // moved onto another team's model
        return outcome.IsOk ? TypedResults.Ok(AlertRuleResponse.From(outcome.Value!, [])) : Problems.From(outcome);
    }

    private static Results<NoContent, ProblemHttpResult> Delete(string id, HttpContext context, ApiCaller callers, AlertRuleStore rules, AlertRuleCommands commands)
    {
        var caller = callers.Of(context)!;
        var (_, refused) = Visible(context, id, caller, rules, commands);
        if (refused is not null) return refused;
        var outcome = commands.Delete(id, caller);
        return outcome.IsOk ? TypedResults.NoContent() : Problems.From(outcome);
    }

    private static async Task<Results<Ok<AlertPreviewResponse>, ProblemHttpResult>> Preview(HttpRequest request, ApiCaller callers, RegistryStore registry,
        AlertPreview preview, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        var (body, problem) = await RequestBody.ReadObjectAsync<AlertPreviewRequest>(request, ct);
        if (body is null) return problem!;
        var valid = RuleValidation.Validate("preview", body.ToSpec(), registry);
        if (!valid.IsOk) return Problems.From(valid);
        var rule = valid.Value!;
        if (rule.Model is { } modelId)
        {
            var (_, model, refused) = callers.Model(request.HttpContext, modelId, write: false);
            if (model is null) return refused!;
        }
        else if (!caller.ReadsEverything && !caller.Teams.Contains(rule.Team!))
            return Problems.Forbidden($"You are not a member of team '{rule.Team}', so you may not try rules on its models' history.");
        var outcome = preview.Run(rule, body.From, body.To);
        return outcome.IsOk ? TypedResults.Ok(AlertPreviewResponse.Of(outcome.Value!, rule)) : Problems.From(outcome);
    }

    /// <summary>The rule, or 404 when there is none or it watches another team's models: as the model endpoints answer, an outsider learns neither that it exists nor who owns it.</summary>
    private static (StoredAlertRule? Rule, ProblemHttpResult? Problem) Visible(HttpContext context, string id, Caller caller, AlertRuleStore rules, AlertRuleCommands commands)
    {
        var stored = rules.Find(id);
        if (stored is not null && !commands.CanRead(stored.Rule, caller)) RefusalAudit.MarkRefused(context); // audited, though answered as unknown
        if (stored is null || !commands.CanRead(stored.Rule, caller))
            return (null, Problems.NotFound($"There is no alert rule '{id}' you may see; list yours with GET /api/v1/alert-rules."));
        return (stored, null);
    }

    private static IEnumerable<RuleSeriesResponse> Series(IEnumerable<(SeriesKey Key, AlertState State, double? Value, string? Error)> series) =>
        series.OrderBy(s => s.Key.ModelId, StringComparer.Ordinal).ThenBy(s => s.Key.Feature, StringComparer.Ordinal)
            .Select(s => new RuleSeriesResponse(s.Key.ModelId, s.Key.Feature == "" ? null : s.Key.Feature, s.State.ToName(), s.Value, s.Error));
}
