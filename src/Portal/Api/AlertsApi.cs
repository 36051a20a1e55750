using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;

using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Api;

/// <summary>The alerts themselves: list, read, acknowledge, resolve by hand, and each alert's delivery log.</summary>
public static class AlertsApi
{
    private static readonly string[] States = [AlertRecord.Firing, AlertRecord.Pending, AlertRecord.Resolved];

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", List).WithName("ListAlerts")
            .WithSummary("Alerts on models the caller may see; ?state=firing|pending|resolved&model=&team=. Without a state, resolved ones of the last Portal:Alerting:ResolvedInboxHours.");
        api.MapGet("/alerts/{id:long}", Get).WithName("GetAlert").WithSummary("One alert.");
        api.MapPost("/alerts/{id:long}/ack", Acknowledge).WithName("AcknowledgeAlert").OptionalJsonBody<AckRequest>()
            .WithSummary("Acknowledge an alert with a comment: stops escalation and repeat notifications until it resolves (members of the owner team or admins).");
        api.MapPost("/alerts/{id:long}/resolve", Resolve).WithName("ResolveAlert").OptionalJsonBody<AckRequest>().WithSummary("Resolve an alert by hand with a comment; if the condition still holds it goes pending again.");
        api.MapGet("/alerts/{id:long}/deliveries", Deliveries).WithName("ListAlertDeliveries").WithSummary("Every notification about the alert, each attempt and its answer.");
        return api;
    }

    private static Results<Ok<List<AlertResponse>>, ProblemHttpResult> List(string? state, string? model, string? team, HttpContext context, ApiCaller callers,
        AlertStore alerts, AlertCommands commands, SilenceStore silences, TimeProvider clock, IOptions<AlertingOptions> options)
    {
        var caller = callers.Of(context)!;
        if (state is not null && !States.Contains(state))
            return Problems.BadRequest($"Unknown state '{state}'. Use firing, pending or resolved, or leave it out for all.", [new("state", "unknown")]);
        if (model is not null)
        {
            var (_, found, problem) = callers.Model(context, model, write: false);
            if (found is null) return problem!;
        }
        if (team is not null && !caller.ReadsEverything && !caller.Teams.Contains(team))
            return Problems.Forbidden($"You are not a member of team '{team}', so its alerts are not listed for you.");
        var now = clock.GetUtcNow();
        var filter = new AlertFilter(state, model, team, state is null ? now - TimeSpan.FromHours(options.Value.ResolvedInboxHours) : null);
        var current = silences.Current();
        return TypedResults.Ok(alerts.List(filter).Where(a => commands.CanRead(a, caller)).Select(a => AlertResponse.From(a, current, now)).ToList());
    }

    private static Results<Ok<AlertResponse>, ProblemHttpResult> Get(long id, HttpContext context, ApiCaller callers, AlertStore alerts, AlertCommands commands,
        SilenceStore silences, TimeProvider clock)
    {
        var (alert, problem) = Visible(context, id, callers.Of(context)!, alerts, commands);
        return alert is null ? problem! : TypedResults.Ok(AlertResponse.From(alert, silences.Current(), clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> Acknowledge(long id, HttpRequest request, ApiCaller callers, AlertStore alerts,
        AlertCommands commands, SilenceStore silences, TimeProvider clock, CancellationToken ct) =>
        await Act(id, request, callers, alerts, commands, silences, clock, (comment, caller) => commands.Acknowledge(id, comment, caller), ct);

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> Resolve(long id, HttpRequest request, ApiCaller callers, AlertStore alerts,
        AlertCommands commands, SilenceStore silences, TimeProvider clock, CancellationToken ct) =>
        await Act(id, request, callers, alerts, commands, silences, clock, (comment, caller) => commands.Resolve(id, comment, caller), ct);

    private static Results<Ok<List<DeliveryResponse>>, ProblemHttpResult> Deliveries(long id, HttpContext context, ApiCaller callers, AlertStore alerts,
        AlertCommands commands, DeliveryStore deliveries)
    {
        var (alert, problem) = Visible(context, id, callers.Of(context)!, alerts, commands);
        if (alert is null) return problem!;
        var log = deliveries.ForAlert(id);
        var ids = deliveries.AlertIds(log.Select(d => d.Delivery.Id).ToList());
        return TypedResults.Ok(log.Select(d => DeliveryResponse.From(d.Delivery, d.Attempts, ids[d.Delivery.Id])).ToList());
    }

    /// <summary>The body is optional: no body, or { "comment": "…" }.</summary>
    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> Act(long id, HttpRequest request, ApiCaller callers, AlertStore alerts,
        AlertCommands commands, SilenceStore silences, TimeProvider clock, Func<string?, Caller, Engine.Outcome<AlertRecord>> action, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        var (_, refused) = Visible(request.HttpContext, id, caller, alerts, commands);
        if (refused is not null) return refused;
        string? comment = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await RequestBody.ReadObjectAsync<AckRequest>(request, ct);
            if (body is null) return problem!;
            comment = string.IsNullOrWhiteSpace(body.Comment) ? null : body.Comment.Trim();
        }
        var outcome = action(comment, caller);
        return outcome.IsOk ? TypedResults.Ok(AlertResponse.From(outcome.Value!, silences.Current(), clock.GetUtcNow())) : Problems.From(outcome);
    }

    /// <summary>The alert, or 404 when there is none and 403 when it is on another team's model (as the model endpoints answer).</summary>
    private static (AlertRecord? Alert, ProblemHttpResult? Problem) Visible(HttpContext context, long id, Caller caller, AlertStore alerts, AlertCommands commands)
    {
        var alert = alerts.Find(id);
        if (alert is not null && !commands.CanRead(alert, caller)) RefusalAudit.MarkRefused(context); // audited, though answered as unknown
        // Another team's alert answers as an unknown one: an outsider learns neither its model nor its owner.
        if (alert is null || !commands.CanRead(alert, caller))
            return (null, Problems.NotFound($"There is no alert {id} you may see; list yours with GET /api/v1/alerts."));
        return (alert, null);
    }
}
