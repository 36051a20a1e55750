using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;

namespace ModelWatch.Engine.Registry;

/// <summary>
/// Creating a team on someone's behalf: admins only, and the team and its "team.created" entry are stored in one
/// transaction, so the API and the Teams page each record exactly one entry without writing it themselves.
/// </summary>
public sealed class TeamCreation(RegistryStore registry, AuditLog audit)
{
    public Outcome<Team> Create(NewTeam request, Caller caller)
    {
        if (!caller.IsAdmin) return new(OutcomeKind.Forbidden, null, [], "Only an admin may create teams.");
        return audit.Write(scope =>
        {
            var created = registry.CreateTeam(request, scope.Connection, scope.Transaction);
            if (created.Value is { } team) scope.Record(new NewAuditEntry(caller.Actor, AuditActions.TeamCreated, team.Id, After: team));
            else scope.Rollback();
            return created;
        });
    }
}
