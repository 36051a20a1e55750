using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Api;

/// <summary>Teams and their API keys.</summary>
public static class TeamsApi
{
    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/teams", CreateTeam).WithName("CreateTeam").JsonBody<NewTeam>().WithSummary("Create a team (admin).");
        api.MapGet("/teams", ListTeams).WithName("ListTeams").WithSummary("Teams the caller can see.");
        api.MapPost("/teams/{id}/keys", CreateKey).WithName("CreateTeamKey").JsonBody<NewKeyRequest>().WithSummary("Issue an API key for a team; the key is shown only in this response.");
        api.MapDelete("/keys/{keyId}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke an API key at once.");
        return api;
    }

    private static async Task<Results<Created<TeamResponse>, ProblemHttpResult>> CreateTeam(HttpRequest request, ApiCaller callers, TeamCreation teams, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        // Refused before the body is read; the engine checks again and records the creation.
        if (!caller.IsAdmin) return Problems.Forbidden("Only an admin may create teams.");
        var (body, problem) = await RequestBody.ReadObjectAsync<NewTeam>(request, ct);
        if (body is null) return problem!;
        var outcome = teams.Create(body, caller);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/teams/{outcome.Value!.Id}", TeamResponse.From(outcome.Value)) : Problems.From(outcome);
    }

    private static Ok<List<TeamResponse>> ListTeams(HttpContext context, ApiCaller callers, RegistryStore registry)
    {
        var caller = callers.Of(context)!;
        return TypedResults.Ok(registry.ListTeams().Where(t => caller.ReadsEverything || caller.Teams.Contains(t.Id)).Select(TeamResponse.From).ToList());
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateKey(string id, HttpRequest request, ApiCaller callers, RegistryStore registry, ApiKeyStore keys, AuditLog audit, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (registry.FindTeam(id) is null) return Problems.NotFound($"Team '{id}' does not exist.");
        if (!caller.CanManageTeam(id)) return Problems.Forbidden($"Only an admin or a lead of team '{id}' may issue its API keys.");
        var (body, problem) = await RequestBody.ReadObjectAsync<NewKeyRequest>(request, ct);
        if (body is null) return problem!;
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
            return Problems.BadRequest("'name' is required (at most 100 characters): say what will use the key, e.g. \"fraud-service\".", [new("name", "required")]);
        var issued = keys.Create(id, body.Name.Trim(), caller.Person);
        audit.Append(new NewAuditEntry(caller.Actor, AuditActions.ApiKeyCreated, id, After: new { id = issued.Id, name = issued.Name, team = issued.TeamId, actsFor = caller.Person }));
        return TypedResults.Created($"/api/v1/keys/{issued.Id}", new CreatedKeyResponse(issued.Id, issued.Name, issued.TeamId, issued.Key));
    }

    private static Results<NoContent, ProblemHttpResult> RevokeKey(string keyId, HttpContext context, ApiCaller callers, ApiKeyStore keys, AuditLog audit)
    {
        var caller = callers.Of(context)!;
        var key = keys.Find(keyId);
        if (key is null) return Problems.NotFound($"There is no API key '{keyId}'.");
        var allowed = caller.IsAdmin || (key.TeamId is { } team && (caller.CanManageTeam(team) || (caller.Role == Caller.TeamKeyRole && caller.Teams.Contains(team))));
        if (!allowed) return Problems.Forbidden($"Only an admin, or the key's own team, may revoke key '{keyId}'.");
        if (!keys.RevokeKey(keyId)) return Problems.NotFound($"API key '{keyId}' was already revoked.");
        audit.Append(new NewAuditEntry(caller.Actor, AuditActions.ApiKeyRevoked, key.TeamId, Before: new { id = key.KeyId, name = key.Name, team = key.TeamId }));
        return TypedResults.NoContent();
    }
}
