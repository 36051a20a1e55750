using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Api;

/// <summary>Where alerts go: a team's receivers and grouping, the admins' defaults for models without an owner, and what was delivered.</summary>
public static class NotificationsApi
{
    private static readonly string[] Kinds = [Receiver.Webhook, Receiver.Email, Receiver.Builtin];

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/teams/{id}/notifications", GetTeam).WithName("GetTeamNotifications").WithSummary("A team's receivers and grouping (or the defaults it inherits).");
        api.MapPut("/teams/{id}/notifications", PutTeam).WithName("PutTeamNotifications").JsonBody<NotificationSettingsSpec>().WithSummary("Replace a team's receivers and grouping (admin or team lead; audited).");
        api.MapGet("/notifications", GetDefaults).WithName("GetDefaultNotifications").WithSummary("The admins' default receivers, for models without an owner team.");
        api.MapPut("/notifications", PutDefaults).WithName("PutDefaultNotifications").JsonBody<NotificationSettingsSpec>().WithSummary("Replace the default receivers (admin; audited).");
        api.MapGet("/deliveries", Deliveries).WithName("ListDeliveries")
            .WithSummary("The newest notifications with their attempts; ?kind=builtin lists what the built-in receiver kept. Admins see all, others their teams'.");
        return api;
    }

    private static Results<Ok<NotificationSettingsResponse>, ProblemHttpResult> GetTeam(string id, HttpContext context, ApiCaller callers, RegistryStore registry,
        NotificationSettingsStore settings)
    {
        var caller = callers.Of(context)!;
        if (registry.FindTeam(id) is null) return Problems.NotFound($"Team '{id}' does not exist; check the id with GET /api/v1/teams.");
        if (!caller.ReadsEverything && !caller.Teams.Contains(id)) return Problems.Forbidden($"You are not a member of team '{id}'.");
        return TypedResults.Ok(Response(id, settings.Get(id), settings));
    }

    private static async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> PutTeam(string id, HttpRequest request, ApiCaller callers,
        RegistryStore registry, NotificationSettingsStore settings, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (registry.FindTeam(id) is null) return Problems.NotFound($"Team '{id}' does not exist; check the id with GET /api/v1/teams.");
        if (!caller.CanManageTeam(id) || caller.IsReadOnly) return Problems.Forbidden($"Only an admin or a lead of team '{id}' may change its notification settings.");
        return await Put(id, request, caller, settings, ct);
    }

    private static Results<Ok<NotificationSettingsResponse>, ProblemHttpResult> GetDefaults(HttpContext context, ApiCaller callers, NotificationSettingsStore settings)
    {
        var caller = callers.Of(context)!;
        if (!caller.ReadsEverything) return Problems.Forbidden("Only admins and auditors may read the default receivers.");
        return TypedResults.Ok(Response(NotificationSettings.DefaultScope, settings.Get(NotificationSettings.DefaultScope), settings));
    }

    private static async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> PutDefaults(HttpRequest request, ApiCaller callers,
        NotificationSettingsStore settings, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (!caller.IsAdmin) return Problems.Forbidden("Only an admin may set the default receivers for models without an owner.");
        return await Put(NotificationSettings.DefaultScope, request, caller, settings, ct);
    }

    private static Results<Ok<List<DeliveryResponse>>, ProblemHttpResult> Deliveries(string? kind, string? team, int? limit, HttpContext context, ApiCaller callers,
        DeliveryStore deliveries)
    {
        var caller = callers.Of(context)!;
        if (kind is not null && !Kinds.Contains(kind))
            return Problems.BadRequest($"Unknown kind '{kind}'. Use webhook, email or builtin.", [new("kind", "unknown")]);
        if (limit is < 1 or > 500) return Problems.BadRequest("'limit' is between 1 and 500 (default 100).", [new("limit", "out of range")]);
        if (team is not null && !caller.ReadsEverything && !caller.Teams.Contains(team))
            return Problems.Forbidden($"You are not a member of team '{team}', so its deliveries are not listed for you.");
        // Those who read everything see every delivery; others those routed by their teams' settings or about their teams' alerts.
        var list = caller.ReadsEverything && team is null
            ? deliveries.Recent(kind, null, limit ?? 100)
            : deliveries.RecentForTeams(kind, team is null ? caller.Teams.ToList() : [team], limit ?? 100);
        var ids = deliveries.AlertIds(list.Select(d => d.Delivery.Id).ToList());
        return TypedResults.Ok(list.Select(d => DeliveryResponse.From(d.Delivery, d.Attempts, ids[d.Delivery.Id])).ToList());
    }

    private static async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> Put(string scope, HttpRequest request, Caller caller,
        NotificationSettingsStore settings, CancellationToken ct)
    {
        var (spec, problem) = await RequestBody.ReadObjectAsync<NotificationSettingsSpec>(request, ct);
        if (spec is null) return problem!;
        var outcome = settings.Set(scope, spec, caller);
        return outcome.IsOk ? TypedResults.Ok(new NotificationSettingsResponse(scope, false, outcome.Value!.ToSpec())) : Problems.From(outcome);
    }

    /// <summary>A team without settings inherits the admins' defaults, and they the built-in receiver.</summary>
    private static NotificationSettingsResponse Response(string scope, NotificationSettings? own, NotificationSettingsStore settings)
    {
        if (own is not null) return new(scope, false, own.ToSpec());
        var inherited = scope == NotificationSettings.DefaultScope ? null : settings.Get(NotificationSettings.DefaultScope);
        return new(scope, true, (inherited ?? NotificationSettings.Default).ToSpec());
    }
}
