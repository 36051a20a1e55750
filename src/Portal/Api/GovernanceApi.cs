using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>Team membership, model ownership, version aliases with four-eyes approval, and archived versions.</summary>
public static class GovernanceApi
{
    public static RouteGroupBuilder MapGovernanceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/teams/{id}/members", ListMembers).WithName("ListTeamMembers").WithSummary("A team's members and their team roles.");
        api.MapPost("/teams/{id}/members", AddMember).WithName("AddTeamMember").JsonBody<MemberRequest>().WithSummary("Add a user to a team or change their role (admin or team lead).");
        api.MapDelete("/teams/{id}/members/{username}", RemoveMember).WithName("RemoveTeamMember").WithSummary("Remove a user from a team (admin or team lead).");
        api.MapGet("/ownership", Fleet).WithName("ListOwnership").WithSummary("Every visible model's owner and contacts; flags models without an owner or on-call contact.");
        api.MapGet("/models/{id}/ownership", GetOwnership).WithName("GetOwnership").WithSummary("Owner team, contacts and the history of changes.");
        api.MapPut("/models/{id}/owner", ChangeOwner).WithName("ChangeOwner").JsonBody<OwnerChangeRequest>().WithSummary("Reassign a model (admin or lead of the owner team); a reason is required.");
        api.MapGet("/models/{id}/aliases", GetAliases).WithName("GetAliases").WithSummary("The model's aliases and alias requests.");
        api.MapPut("/models/{id}/aliases/{alias}", SetAlias).WithName("SetAlias").JsonBody<AliasChangeRequest>().WithSummary("Move staging or shadow directly (team members); production needs a request.");
        api.MapPost("/models/{id}/aliases/{alias}/requests", RequestAlias).WithName("RequestAlias").JsonBody<AliasChangeRequest>().WithSummary("Ask for an alias to move to a version; a second person approves.");
        api.MapGet("/alias-requests/{rid:long}", GetRequest).WithName("GetAliasRequest").WithSummary("One alias request and its decision.");
        api.MapPost("/alias-requests/{rid:long}/approve", Approve).WithName("ApproveAliasRequest").OptionalJsonBody<DecisionRequest>().WithSummary("Approve (admin or owner team lead, not the requester).");
        api.MapPost("/alias-requests/{rid:long}/reject", Reject).WithName("RejectAliasRequest").JsonBody<DecisionRequest>().WithSummary("Reject with a reason (admin, owner team lead, or the requester withdrawing).");
        api.MapPost("/models/{id}/versions/{version}/archive", Archive).WithName("ArchiveVersion").OptionalJsonBody<DecisionRequest>().WithSummary("Archive a version that holds no alias.");
        api.MapPost("/models/{id}/versions/{version}/restore", Restore).WithName("RestoreVersion").OptionalJsonBody<DecisionRequest>().WithSummary("Bring an archived version back.");
        return api;
    }

    private static Results<Ok<IReadOnlyList<TeamMember>>, ProblemHttpResult> ListMembers(string id, HttpContext context, ApiCaller callers, RegistryStore registry, MembershipStore members)
    {
        var caller = callers.Of(context)!;
        if (registry.FindTeam(id) is null) return Problems.NotFound($"Team '{id}' does not exist.");
        if (!caller.ReadsEverything && !caller.Teams.Contains(id)) return Problems.Forbidden($"You are not a member of team '{id}'.");
        return TypedResults.Ok(members.Members(id));
    }

    private static async Task<Results<Ok<TeamMember>, ProblemHttpResult>> AddMember(string id, HttpRequest request, ApiCaller callers, MembershipStore members, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (!caller.CanManageTeam(id)) return Problems.Forbidden($"Only an admin or a lead of team '{id}' may manage its members.");
        var (body, problem) = await RequestBody.ReadObjectAsync<MemberRequest>(request, ct);
        if (body is null) return problem!;
        var outcome = members.AddOrChange(id, body.Username, body.Role, caller);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problems.From(outcome);
    }

    private static Results<NoContent, ProblemHttpResult> RemoveMember(string id, string username, HttpContext context, ApiCaller callers, MembershipStore members)
    {
        var outcome = members.Remove(id, username, callers.Of(context)!);
        return outcome.IsOk ? TypedResults.NoContent() : Problems.From(outcome);
    }

    private static Ok<List<FleetOwnershipResponse>> Fleet(HttpContext context, ApiCaller callers, RegistryStore registry, OwnershipStore ownership)
    {
        var caller = callers.Of(context)!;
        var visible = registry.ListModels().Where(caller.CanRead).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(ownership.All().Where(o => visible.Contains(o.Model))
            .Select(o => new FleetOwnershipResponse(o.Model, o.Team, o.OnCall, o.Escalation, o.Team is null, o.OnCall is null)).ToList());
    }

    private static Results<Ok<ModelOwnership>, ProblemHttpResult> GetOwnership(string id, HttpContext context, ApiCaller callers, OwnershipStore ownership)
    {
        var (_, model, problem) = callers.Model(context, id, write: false);
        return model is null ? problem! : TypedResults.Ok(ownership.Get(model));
    }

    private static async Task<Results<Ok<ModelOwnership>, ProblemHttpResult>> ChangeOwner(string id, HttpRequest request, ApiCaller callers, OwnershipStore ownership, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: false);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<OwnerChangeRequest>(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = ownership.ChangeOwner(model, body, caller!);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problems.From(outcome);
    }

    private static Results<Ok<AliasesResponse>, ProblemHttpResult> GetAliases(string id, HttpContext context, ApiCaller callers, AliasStore aliases)
    {
        var (_, model, problem) = callers.Model(context, id, write: false);
        return model is null ? problem! : TypedResults.Ok(new AliasesResponse(model.Id, aliases.AliasesOf(model), aliases.Requests(model)));
    }

    private static async Task<Results<Ok<VersionAlias>, ProblemHttpResult>> SetAlias(string id, string alias, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: false);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<AliasChangeRequest>(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = aliases.SetDirectly(model, alias, body, caller!);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problems.From(outcome);
    }

    private static async Task<Results<Created<AliasRequest>, ProblemHttpResult>> RequestAlias(string id, string alias, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: false);
        if (model is null) return problem!;
        var (body, bodyProblem) = await RequestBody.ReadObjectAsync<AliasChangeRequest>(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = aliases.Request(model, alias, body, caller!);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/alias-requests/{outcome.Value!.Id}", outcome.Value) : Problems.From(outcome);
    }

    private static Results<Ok<AliasRequest>, ProblemHttpResult> GetRequest(long rid, HttpContext context, ApiCaller callers, AliasStore aliases)
    {
        var request = aliases.FindRequest(rid);
        if (request is null) return Problems.NotFound($"There is no alias request {rid}.");
        var (_, model, problem) = callers.Model(context, request.Model, write: false);
        return model is null ? problem! : TypedResults.Ok(request);
    }

    private static async Task<Results<Ok<AliasRequest>, ProblemHttpResult>> Approve(long rid, HttpRequest request, ApiCaller callers, AliasStore aliases, RegistryStore registry, Baselines baselines, CancellationToken ct)
    {
        var (body, problem) = await OptionalDecision(request, ct);
        if (body is null) return problem!;
        var outcome = aliases.Approve(rid, body, callers.Of(request.HttpContext)!);
        if (!outcome.IsOk) return Problems.From(outcome);
        // A new production version brings its reference as the drift baseline.
        if (outcome.Value!.Alias == Aliases.Production && registry.FindModel(outcome.Value.Model) is { } model) baselines.Invalidate(model);
        return TypedResults.Ok(outcome.Value);
    }

    private static async Task<Results<Ok<AliasRequest>, ProblemHttpResult>> Reject(long rid, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct)
    {
        var (body, problem) = await OptionalDecision(request, ct);
        if (body is null) return problem!;
        var outcome = aliases.Reject(rid, body, callers.Of(request.HttpContext)!);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problems.From(outcome);
    }

    private static Task<Results<Ok<RegistryVersionResponse>, ProblemHttpResult>> Archive(string id, string version, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct) =>
        SetArchived(id, version, archived: true, request, callers, aliases, ct);

    private static Task<Results<Ok<RegistryVersionResponse>, ProblemHttpResult>> Restore(string id, string version, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct) =>
        SetArchived(id, version, archived: false, request, callers, aliases, ct);

    private static async Task<Results<Ok<RegistryVersionResponse>, ProblemHttpResult>> SetArchived(string id, string version, bool archived, HttpRequest request, ApiCaller callers, AliasStore aliases, CancellationToken ct)
    {
        var (caller, model, problem) = callers.Model(request.HttpContext, id, write: false);
        if (model is null) return problem!;
        var (body, bodyProblem) = await OptionalDecision(request, ct);
        if (body is null) return bodyProblem!;
        var outcome = aliases.SetArchived(model, version, archived, body.Reason, caller!);
        return outcome.IsOk ? TypedResults.Ok(RegistryVersionResponse.From(outcome.Value!)) : Problems.From(outcome);
    }

    /// <summary>GET /models/{id}/versions: the foundation's fields plus aliases and archived state.</summary>
    public static Results<Ok<List<RegistryVersionResponse>>, ProblemHttpResult> ListVersions(string id, HttpContext context, ApiCaller callers, AliasStore aliases)
    {
        var (_, model, problem) = callers.Model(context, id, write: false);
        return model is null ? problem! : TypedResults.Ok(aliases.Versions(model).Select(RegistryVersionResponse.From).ToList());
    }

    // Approve, archive and restore take an optional { "reason" }: an empty body is fine.
    private static async Task<(DecisionRequest? Body, ProblemHttpResult? Problem)> OptionalDecision(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType))) return (new DecisionRequest(null), null);
        return await RequestBody.ReadObjectAsync<DecisionRequest>(request, ct);
    }
}

public sealed record MemberRequest(string? Username, string? Role);

public sealed record FleetOwnershipResponse(string Model, string? Team, string? OnCall, string? Escalation, bool MissingOwner, bool MissingOnCall);

public sealed record AliasesResponse(string Model, IReadOnlyList<VersionAlias> Aliases, IReadOnlyList<AliasRequest> Requests);

public sealed record RegistryVersionResponse(
    string Model, string Version, JsonElement Hyperparameters, string? TrainingData, JsonElement Metrics, string? CreatedBy, DateTimeOffset CreatedAt,
    int ReferenceRows, IReadOnlyList<string> Aliases, bool Archived, DateTimeOffset? ArchivedAt, string? ArchivedBy)
{
    public static RegistryVersionResponse From(RegistryVersion v)
    {
        var basic = VersionResponse.From(v.Info);
        return new(basic.Model, basic.Version, basic.Hyperparameters, basic.TrainingData, basic.Metrics, basic.CreatedBy, basic.CreatedAt,
            basic.ReferenceRows, v.Aliases, v.ArchivedAt is not null, v.ArchivedAt, v.ArchivedBy);
    }
}
