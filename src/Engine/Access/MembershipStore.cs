using Dapper;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Access;

public sealed record TeamMember(string Username, string DisplayName, string UserRole, string TeamRole);

/// <summary>Who is in a team, and as what. An admin or a lead of the team manages it; every change is audited.</summary>
public sealed class MembershipStore(SqliteConnectionFactory connections, AuditLog audit)
{
    private const string SelectMembers = """
        SELECT u.username, u.display_name AS DisplayName, u.role AS UserRole, m.role AS TeamRole
        FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = @TeamId ORDER BY u.username
        """;
    private const string SelectTeamExists = "SELECT COUNT(*) FROM teams WHERE id = @TeamId";
    private const string SelectUserId = "SELECT id FROM users WHERE username = @Username";
    private const string SelectMemberRole = "SELECT role FROM team_members WHERE team_id = @TeamId AND user_id = @UserId";
    private const string Upsert = """
        INSERT INTO team_members (team_id, user_id, role) VALUES (@TeamId, @UserId, @Role)
        ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role
        """;
    private const string Delete = "DELETE FROM team_members WHERE team_id = @TeamId AND user_id = @UserId";

    public static readonly IReadOnlyList<string> TeamRoles = ["member", "lead"];

    public IReadOnlyList<TeamMember> Members(string teamId)
    {
        using var connection = connections.Open();
        return connection.Query<TeamMember>(SelectMembers, new { TeamId = teamId }).ToList();
    }

    public Outcome<TeamMember> AddOrChange(string teamId, string? username, string? role, Caller caller)
    {
        if (!caller.CanManageTeam(teamId)) return Forbidden($"Only an admin or a lead of team '{teamId}' may manage its members.");
        role ??= "member";
        if (string.IsNullOrWhiteSpace(username)) return Outcome<TeamMember>.Invalid("username", "'username' is required: the portal user to add.");
        if (!TeamRoles.Contains(role)) return Outcome<TeamMember>.Invalid("role", "'role' must be \"member\" or \"lead\".");
        using (var connection = connections.Open())
        {
            if (connection.ExecuteScalar<long>(SelectTeamExists, new { TeamId = teamId }) == 0) return Outcome<TeamMember>.NotFound($"Team '{teamId}' does not exist.");
            if (connection.ExecuteScalar<long?>(SelectUserId, new { Username = username }) is null)
                return Outcome<TeamMember>.NotFound($"There is no user '{username}'; users are created by an admin.");
        }
        audit.Write(scope =>
        {
            var userId = scope.Connection.ExecuteScalar<long>(SelectUserId, new { Username = username }, scope.Transaction);
            var before = scope.Connection.QuerySingleOrDefault<string>(SelectMemberRole, new { TeamId = teamId, UserId = userId }, scope.Transaction);
            scope.Connection.Execute(Upsert, new { TeamId = teamId, UserId = userId, Role = role }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, before is null ? AuditActions.MemberAdded : AuditActions.MemberChanged, teamId,
                Before: before is null ? null : new { username, role = before }, After: new { username, role }));
            return 0;
        });
        return Outcome<TeamMember>.Ok(Members(teamId).Single(m => string.Equals(m.Username, username, StringComparison.OrdinalIgnoreCase)));
    }

    public Outcome<TeamMember> Remove(string teamId, string username, Caller caller)
    {
        if (!caller.CanManageTeam(teamId)) return Forbidden($"Only an admin or a lead of team '{teamId}' may manage its members.");
        var member = Members(teamId).SingleOrDefault(m => string.Equals(m.Username, username, StringComparison.OrdinalIgnoreCase));
        if (member is null) return Outcome<TeamMember>.NotFound($"'{username}' is not a member of team '{teamId}'.");
        audit.Write(scope =>
        {
            var userId = scope.Connection.ExecuteScalar<long>(SelectUserId, new { Username = username }, scope.Transaction);
            scope.Connection.Execute(Delete, new { TeamId = teamId, UserId = userId }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.MemberRemoved, teamId, Before: new { username = member.Username, role = member.TeamRole }));
            return 0;
        });
        return Outcome<TeamMember>.Ok(member);
    }

    private static Outcome<TeamMember> Forbidden(string message) => new(OutcomeKind.Forbidden, null, [], message);
}
