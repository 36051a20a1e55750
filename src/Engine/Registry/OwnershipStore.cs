using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Registry;

/// <summary>Who owns a model (models.team_id), whom to call, and every change with its reason.</summary>
public sealed class OwnershipStore(SqliteConnectionFactory connections, RegistryStore registry, AuditLog audit, TimeProvider clock)
{
    private const string SelectCurrent = "SELECT team_id AS Team, on_call AS OnCall, escalation AS Escalation FROM models WHERE pk = @ModelPk";
    private const string SelectAll = "SELECT id AS Model, team_id AS Team, on_call AS OnCall, escalation AS Escalation FROM models ORDER BY id";
    private const string UpdateOwner = "UPDATE models SET team_id = @Team, on_call = @OnCall, escalation = @Escalation WHERE pk = @ModelPk";
    private const string InsertHistory = """
        INSERT INTO model_ownership_history (model_pk, from_team, to_team, on_call, escalation, changed_by, changed_at, reason)
        VALUES (@ModelPk, @FromTeam, @ToTeam, @OnCall, @Escalation, @ChangedBy, @ChangedAt, @Reason)
        """;
    private const string SelectHistory = """
        SELECT from_team AS FromTeam, to_team AS ToTeam, on_call AS OnCall, escalation AS Escalation, changed_by AS ChangedBy, changed_at AS ChangedAt, reason
        FROM model_ownership_history WHERE model_pk = @ModelPk ORDER BY id
        """;

    public ModelOwnership Get(ModelDefinition model)
    {
        using var connection = connections.Open();
        var current = connection.QuerySingle<Owner>(SelectCurrent, new { ModelPk = model.Pk });
        var history = connection.Query<HistoryRow>(SelectHistory, new { ModelPk = model.Pk })
            .Select(h => new OwnershipChange(h.FromTeam, h.ToTeam, h.OnCall, h.Escalation, h.ChangedBy, DateTimeOffset.FromUnixTimeMilliseconds(h.ChangedAt), h.Reason))
            .ToList();
        return new ModelOwnership(model.Id, current.Team, current.OnCall, current.Escalation, history);
    }

    /// <summary>Every model's owner and contacts: the fleet view lists those without an owner or an on-call contact.</summary>
    public IReadOnlyList<ModelOwnership> All()
    {
        using var connection = connections.Open();
        return connection.Query<Owner>(SelectAll).Select(o => new ModelOwnership(o.Model, o.Team, o.OnCall, o.Escalation, [])).ToList();
    }

    /// <summary>Hands a model to a team (or changes its contacts). Admins, or a lead of the current owner team; a reason is required.</summary>
    public Outcome<ModelOwnership> ChangeOwner(ModelDefinition model, OwnerChangeRequest request, Caller caller)
    {
        if (caller.IsReadOnly) return Forbidden("Auditors read everything and change nothing.");
        if (!caller.IsAdmin && (model.TeamId is null || !caller.LeadOf.Contains(model.TeamId)))
            return Forbidden($"Only an admin or a lead of the owner team '{model.TeamId ?? "(none)"}' may reassign model '{model.Id}'.");
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Team)) errors.Add(new("team", "'team' is required: the id of the team that will own the model."));
        else if (registry.FindTeam(request.Team) is null) errors.Add(new("team", $"Team '{request.Team}' does not exist; create it first with POST /api/v1/teams."));
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000) errors.Add(new("reason", "'reason' is required (at most 2000 characters): say why ownership changes."));
        if (request.OnCall is { Length: > 200 }) errors.Add(new("onCall", "'onCall' is at most 200 characters (a person, rota or pager address)."));
        if (request.Escalation is { Length: > 200 }) errors.Add(new("escalation", "'escalation' is at most 200 characters."));
        if (errors.Count > 0) return Outcome<ModelOwnership>.Invalid(errors);

        audit.Write(scope =>
        {
            var before = scope.Connection.QuerySingle<Owner>(SelectCurrent, new { ModelPk = model.Pk }, scope.Transaction);
            var after = new Owner { Team = request.Team!, OnCall = Trimmed(request.OnCall) ?? before.OnCall, Escalation = Trimmed(request.Escalation) ?? before.Escalation };
            var reason = request.Reason!.Trim();
            scope.Connection.Execute(UpdateOwner, new { after.Team, after.OnCall, after.Escalation, ModelPk = model.Pk }, scope.Transaction);
            scope.Connection.Execute(InsertHistory, new
            {
                ModelPk = model.Pk, FromTeam = before.Team, ToTeam = after.Team, after.OnCall, after.Escalation,
                ChangedBy = caller.Actor, ChangedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(), Reason = reason,
            }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.OwnerChanged, after.Team, model.Id,
                Before: new { team = before.Team, onCall = before.OnCall, escalation = before.Escalation },
                After: new { team = after.Team, onCall = after.OnCall, escalation = after.Escalation }, Reason: reason));
            return 0;
        });
        registry.Invalidate();
        return Outcome<ModelOwnership>.Ok(Get(model));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Outcome<ModelOwnership> Forbidden(string message) => new(OutcomeKind.Forbidden, null, [], message);

    private sealed class Owner
    {
        public string Model { get; init; } = "";
        public string? Team { get; init; }
        public string? OnCall { get; init; }
        public string? Escalation { get; init; }
    }

    private sealed class HistoryRow
    {
        public string? FromTeam { get; init; }
        public string? ToTeam { get; init; }
        public string? OnCall { get; init; }
        public string? Escalation { get; init; }
        public string ChangedBy { get; init; } = "";
        public long ChangedAt { get; init; }
        public string Reason { get; init; } = "";
    }
}
