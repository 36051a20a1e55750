using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Registry;

/// <summary>
/// Version aliases (production, staging, shadow), the requests that move them and archived versions.
/// Production moves only through a request approved by a second person: an admin or a lead of the owner team.
/// </summary>
public sealed class AliasStore(SqliteConnectionFactory connections, RegistryStore registry, AuditLog audit, TimeProvider clock)
{
    private const string SelectAliases = """
        SELECT a.alias, v.version, a.set_by AS SetBy, a.set_at AS SetAt, a.request_id AS RequestId
        FROM model_aliases a JOIN model_versions v ON v.pk = a.version_pk WHERE a.model_pk = @ModelPk ORDER BY a.alias
        """;
    private const string SelectArchived = "SELECT version, archived_at AS ArchivedAt, archived_by AS ArchivedBy FROM model_versions WHERE model_pk = @ModelPk AND archived_at IS NOT NULL";
    private const string SelectIsArchived = "SELECT archived_at IS NOT NULL FROM model_versions WHERE pk = @VersionPk";
    private const string SelectAliasOfVersion = "SELECT alias FROM model_aliases WHERE version_pk = @VersionPk ORDER BY alias";
    private const string SelectAliasVersion = "SELECT v.version FROM model_aliases a JOIN model_versions v ON v.pk = a.version_pk WHERE a.model_pk = @ModelPk AND a.alias = @Alias";
    private const string UpsertAlias = """
        INSERT INTO model_aliases (model_pk, alias, version_pk, set_by, set_at, request_id) VALUES (@ModelPk, @Alias, @VersionPk, @SetBy, @SetAt, @RequestId)
        ON CONFLICT (model_pk, alias) DO UPDATE SET version_pk = excluded.version_pk, set_by = excluded.set_by, set_at = excluded.set_at, request_id = excluded.request_id
        """;
    private const string InsertRequest = """
        INSERT INTO alias_requests (model_pk, alias, version_pk, reason, requested_by, requested_for, requested_at) VALUES (@ModelPk, @Alias, @VersionPk, @Reason, @RequestedBy, @RequestedFor, @RequestedAt);
        SELECT last_insert_rowid();
        """;
    private const string SelectRequests = """
        SELECT r.id, m.id AS Model, r.alias, v.version, r.reason, r.requested_by AS RequestedBy, COALESCE(r.requested_for, r.requested_by) AS RequestedFor, r.requested_at AS RequestedAt, r.status,
               r.decided_by AS DecidedBy, r.decided_at AS DecidedAt, r.decision_reason AS DecisionReason
        FROM alias_requests r JOIN models m ON m.pk = r.model_pk JOIN model_versions v ON v.pk = r.version_pk
        """;
    private const string Decide = "UPDATE alias_requests SET status = @Status, decided_by = @DecidedBy, decided_at = @DecidedAt, decision_reason = @Reason WHERE id = @Id AND status = 'pending'";
    private const string UpdateArchived = "UPDATE model_versions SET archived_at = @At, archived_by = @By WHERE pk = @VersionPk";

    public IReadOnlyList<VersionAlias> AliasesOf(ModelDefinition model)
    {
        using var connection = connections.Open();
        return connection.Query<AliasRow>(SelectAliases, new { ModelPk = model.Pk }).Select(a => a.ToAlias()).ToList();
    }

    /// <summary>The registry's view of every version: metadata, aliases held, archived state.</summary>
    public IReadOnlyList<RegistryVersion> Versions(ModelDefinition model)
    {
        var aliases = AliasesOf(model).ToLookup(a => a.Version, a => a.Alias, StringComparer.Ordinal);
        using var connection = connections.Open();
        var archived = connection.Query<ArchivedRow>(SelectArchived, new { ModelPk = model.Pk }).ToDictionary(a => a.Version, StringComparer.Ordinal);
        return registry.ListVersions(model).Select(v => new RegistryVersion(v, aliases[v.Version].ToList(),
            archived.TryGetValue(v.Version, out var a) ? DateTimeOffset.FromUnixTimeMilliseconds(a.ArchivedAt) : null,
            archived.TryGetValue(v.Version, out var b) ? b.ArchivedBy : null)).ToList();
    }

    public IReadOnlyList<AliasRequest> Requests(ModelDefinition model)
    {
        using var connection = connections.Open();
        return connection.Query<RequestRow>(SelectRequests + " WHERE r.model_pk = @ModelPk ORDER BY r.id", new { ModelPk = model.Pk }).Select(r => r.ToRequest()).ToList();
    }

    public AliasRequest? FindRequest(long id)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<RequestRow>(SelectRequests + " WHERE r.id = @Id", new { Id = id })?.ToRequest();
    }

    /// <summary>Asks for an alias to move to a version. Anyone who may write to the model may ask.</summary>
    public Outcome<AliasRequest> Request(ModelDefinition model, string alias, AliasChangeRequest request, Caller caller)
    {
        if (!caller.CanWrite(model)) return Forbidden(WriteRule(model, "request an alias change for"));
        var (versionPk, problem) = Validate(model, alias, request.Version, request.Reason);
        if (problem is not null) return problem;
        var id = audit.Write(scope =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var id = scope.Connection.ExecuteScalar<long>(InsertRequest, new { ModelPk = model.Pk, Alias = alias, VersionPk = versionPk, Reason = request.Reason!.Trim(), RequestedBy = caller.Actor, RequestedFor = caller.Person, RequestedAt = now }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.AliasRequested, model.TeamId, model.Id, request.Version,
                Before: Current(scope, model, alias), After: new { request = id, alias, version = request.Version }, Reason: request.Reason.Trim()));
            return id;
        });
        return Outcome<AliasRequest>.Ok(FindRequest(id)!);
    }

    /// <summary>Four-eyes: the approver is an admin or a lead of the owner team, and not the requester.</summary>
    public Outcome<AliasRequest> Approve(long requestId, DecisionRequest decision, Caller caller)
    {
        var (request, model, problem) = Pending(requestId, caller);
        if (problem is not null) return problem;
        // Persons, not credentials: a key acts for whoever created it, so filing with a key and approving with a cookie is one person.
        if (caller.IsSamePerson(request!.RequestedFor))
            return Forbidden($"Four-eyes rule: {request.RequestedFor} requested this change (as {request.RequestedBy}) and cannot approve it, with this or any other credential; ask an admin or another lead of team '{model!.TeamId}'.");
        var versionPk = model!.VersionKeys[request.Version];
        using (var connection = connections.Open())
        {
            if (connection.ExecuteScalar<bool>(SelectIsArchived, new { VersionPk = versionPk }))
                return Outcome<AliasRequest>.Conflict($"Version '{request.Version}' was archived after the request; restore it or reject the request.");
        }
        var reason = Trimmed(decision.Reason);
        var decided = audit.Write(scope =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var before = Current(scope, model, request.Alias);
            if (scope.Connection.Execute(Decide, new { Status = AliasRequestStatus.Approved, DecidedBy = caller.Actor, DecidedAt = now, Reason = reason, Id = requestId }, scope.Transaction) == 0)
            {
                scope.Rollback();
                return false;
            }
            scope.Connection.Execute(UpsertAlias, new { ModelPk = model.Pk, request.Alias, VersionPk = versionPk, SetBy = caller.Actor, SetAt = now, RequestId = requestId }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.AliasApproved, model.TeamId, model.Id, request.Version,
                Before: before, After: new { request = requestId, alias = request.Alias, version = request.Version, requestedBy = request.RequestedBy, requestedFor = request.RequestedFor }, Reason: reason));
            return true;
        });
        return decided ? Outcome<AliasRequest>.Ok(FindRequest(requestId)!) : Outcome<AliasRequest>.Conflict($"Alias request {requestId} was decided by someone else meanwhile.");
    }

    /// <summary>Admins and leads of the owner team reject; the requester may withdraw. A reason is required.</summary>
    public Outcome<AliasRequest> Reject(long requestId, DecisionRequest decision, Caller caller)
    {
        var request = FindRequest(requestId);
        var isRequester = request is not null && caller.IsSamePerson(request.RequestedFor);
        var (_, model, problem) = Pending(requestId, caller, allowRequester: isRequester);
        if (problem is not null) return problem;
        var reason = Trimmed(decision.Reason);
        if (reason is null || reason.Length > 2000) return Outcome<AliasRequest>.Invalid("reason", "'reason' is required (at most 2000 characters): say why the request is rejected.");
        var decided = audit.Write(scope =>
        {
            if (scope.Connection.Execute(Decide, new { Status = AliasRequestStatus.Rejected, DecidedBy = caller.Actor, DecidedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(), Reason = reason, Id = requestId }, scope.Transaction) == 0)
            {
                scope.Rollback();
                return false;
            }
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.AliasRejected, model!.TeamId, model.Id, request!.Version,
                After: new { request = requestId, alias = request.Alias, version = request.Version, requestedBy = request.RequestedBy, requestedFor = request.RequestedFor }, Reason: reason));
            return true;
        });
        return decided ? Outcome<AliasRequest>.Ok(FindRequest(requestId)!) : Outcome<AliasRequest>.Conflict($"Alias request {requestId} was decided by someone else meanwhile.");
    }

    /// <summary>Staging and shadow may be moved directly by anyone who may write to the model; production may not.</summary>
    public Outcome<VersionAlias> SetDirectly(ModelDefinition model, string alias, AliasChangeRequest request, Caller caller)
    {
        if (!caller.CanWrite(model)) return new(OutcomeKind.Forbidden, null, [], WriteRule(model, "move an alias of"));
        if (Aliases.IsValid(alias) && Aliases.NeedsApproval(alias))
            return new(OutcomeKind.Forbidden, null, [], $"'{alias}' moves only through an approved request: POST /api/v1/models/{model.Id}/aliases/{alias}/requests {{ \"version\", \"reason\" }}.");
        var (versionPk, problem) = Validate(model, alias, request.Version, request.Reason ?? "set directly");
        if (problem is not null) return new(problem.Kind, null, problem.Errors, problem.Message);
        audit.Write(scope =>
        {
            var before = Current(scope, model, alias);
            scope.Connection.Execute(UpsertAlias, new { ModelPk = model.Pk, Alias = alias, VersionPk = versionPk, SetBy = caller.Actor, SetAt = clock.GetUtcNow().ToUnixTimeMilliseconds(), RequestId = (long?)null }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.AliasSet, model.TeamId, model.Id, request.Version,
                Before: before, After: new { alias, version = request.Version }, Reason: Trimmed(request.Reason)));
            return 0;
        });
        return Outcome<VersionAlias>.Ok(AliasesOf(model).Single(a => a.Alias == alias));
    }

    /// <summary>Archives (or restores) a version. An archived version holds no alias and cannot be requested.</summary>
    public Outcome<RegistryVersion> SetArchived(ModelDefinition model, string version, bool archived, string? reason, Caller caller)
    {
        if (!caller.CanWrite(model)) return new(OutcomeKind.Forbidden, null, [], WriteRule(model, archived ? "archive versions of" : "restore versions of"));
        if (!model.VersionKeys.TryGetValue(version, out var versionPk))
            return new(OutcomeKind.NotFound, null, [], $"Model '{model.Id}' has no version '{version}'. Known versions: {string.Join(", ", model.VersionKeys.Keys)}.");
        using (var connection = connections.Open())
        {
            if (connection.ExecuteScalar<bool>(SelectIsArchived, new { VersionPk = versionPk }) == archived)
                return new(OutcomeKind.Conflict, null, [], $"Version '{version}' is already {(archived ? "archived" : "active")}.");
            var held = connection.Query<string>(SelectAliasOfVersion, new { VersionPk = versionPk }).ToList();
            if (archived && held.Count > 0)
                return new(OutcomeKind.Conflict, null, [], $"Version '{version}' holds the alias {string.Join(", ", held)}; move the alias to another version before archiving.");
        }
        audit.Write(scope =>
        {
            scope.Connection.Execute(UpdateArchived, new { At = archived ? clock.GetUtcNow().ToUnixTimeMilliseconds() : (long?)null, By = archived ? caller.Actor : null, VersionPk = versionPk }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, archived ? AuditActions.VersionArchived : AuditActions.VersionRestored, model.TeamId, model.Id, version,
                Before: new { archived = !archived }, After: new { archived }, Reason: Trimmed(reason)));
            return 0;
        });
        return Outcome<RegistryVersion>.Ok(Versions(model).Single(v => v.Info.Version == version));
    }

    private (AliasRequest? Request, ModelDefinition? Model, Outcome<AliasRequest>? Problem) Pending(long requestId, Caller caller, bool allowRequester = false)
    {
        var request = FindRequest(requestId);
        if (request is null) return (null, null, Outcome<AliasRequest>.NotFound($"There is no alias request {requestId}; list a model's requests with GET /api/v1/models/{{id}}/aliases/requests."));
        var model = registry.FindModel(request.Model)!;
        if (!caller.CanRead(model)) return (null, null, Forbidden($"Alias request {requestId} is about a model you may not read."));
        if (caller.IsReadOnly) return (null, null, Forbidden("Auditors read everything and change nothing."));
        if (!allowRequester && !caller.IsAdmin && (model.TeamId is null || !caller.LeadOf.Contains(model.TeamId)))
            return (null, null, Forbidden($"Only an admin or a lead of team '{model.TeamId ?? "(none)"}' may decide alias requests for model '{model.Id}'."));
        if (request.Status != AliasRequestStatus.Pending)
            return (null, null, Outcome<AliasRequest>.Conflict($"Alias request {requestId} was already {request.Status} by {request.DecidedBy} at {request.DecidedAt:u}."));
        return (request, model, null);
    }

    private (long VersionPk, Outcome<AliasRequest>? Problem) Validate(ModelDefinition model, string alias, string? version, string? reason)
    {
        var errors = new List<FieldError>();
        if (!Aliases.IsValid(alias)) errors.Add(new("alias", $"Unknown alias '{alias}'; use one of {string.Join(", ", Aliases.All)}."));
        long versionPk = 0;
        if (string.IsNullOrWhiteSpace(version)) errors.Add(new("version", "'version' is required: the registered version the alias should point to."));
        else if (!model.VersionKeys.TryGetValue(version, out versionPk))
            errors.Add(new("version", $"Model '{model.Id}' has no version '{version}'; register it with POST /api/v1/models/{model.Id}/versions."));
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000) errors.Add(new("reason", "'reason' is required (at most 2000 characters): say why this version should get the alias."));
        if (errors.Count > 0) return (0, Outcome<AliasRequest>.Invalid(errors));
        using var connection = connections.Open();
        if (connection.ExecuteScalar<bool>(SelectIsArchived, new { VersionPk = versionPk }))
            return (0, Outcome<AliasRequest>.Conflict($"Version '{version}' is archived; restore it with POST /api/v1/models/{model.Id}/versions/{version}/restore first."));
        return (versionPk, null);
    }

    private static object? Current(AuditScope scope, ModelDefinition model, string alias)
    {
        var version = scope.Connection.QuerySingleOrDefault<string>(SelectAliasVersion, new { ModelPk = model.Pk, Alias = alias }, scope.Transaction);
        return version is null ? null : new { alias, version };
    }

    private static string WriteRule(ModelDefinition model, string action) =>
        $"Only members and keys of team '{model.TeamId ?? "(none)"}', or an admin, may {action} model '{model.Id}'; auditors change nothing.";

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Outcome<AliasRequest> Forbidden(string message) => new(OutcomeKind.Forbidden, null, [], message);

    private sealed class AliasRow
    {
        public string Alias { get; init; } = "";
        public string Version { get; init; } = "";
        public string SetBy { get; init; } = "";
        public long SetAt { get; init; }
        public long? RequestId { get; init; }
        public VersionAlias ToAlias() => new(Alias, Version, SetBy, DateTimeOffset.FromUnixTimeMilliseconds(SetAt), RequestId);
    }

    private sealed class ArchivedRow
    {
        public string Version { get; init; } = "";
        public long ArchivedAt { get; init; }
        public string? ArchivedBy { get; init; }
    }

    private sealed class RequestRow
    {
        public long Id { get; init; }
        public string Model { get; init; } = "";
        public string Alias { get; init; } = "";
        public string Version { get; init; } = "";
        public string Reason { get; init; } = "";
        public string RequestedBy { get; init; } = "";
        public string RequestedFor { get; init; } = "";
        public long RequestedAt { get; init; }
        public string Status { get; init; } = "";
        public string? DecidedBy { get; init; }
        public long? DecidedAt { get; init; }
        public string? DecisionReason { get; init; }
        public AliasRequest ToRequest() => new(Id, Model, Alias, Version, Reason, RequestedBy, DateTimeOffset.FromUnixTimeMilliseconds(RequestedAt), Status,
            DecidedBy, DecidedAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, DecisionReason, RequestedFor);
    }
}
