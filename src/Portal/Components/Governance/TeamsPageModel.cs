using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Components.Governance;

public sealed record TeamRow(Team Team, IReadOnlyList<TeamMember> Members, bool CanManage)
{
    public IReadOnlyList<TeamMember> Leads => Members.Where(m => m.TeamRole == "lead").ToList();
}

public sealed record TeamsView(IReadOnlyList<TeamRow> Teams, bool CanCreate);

/// <summary>
/// Teams and their members as a caller may see them (admins and auditors: all; others: their own teams), and the
/// membership changes, made through the same engine calls (and audit entries) as the API.
/// </summary>
public sealed class TeamsPageModel(RegistryStore registry, MembershipStore members, TeamCreation teams)
{
    public TeamsView Load(Caller caller) => new(
        registry.ListTeams()
            .Where(t => caller.ReadsEverything || caller.Teams.Contains(t.Id))
            .Select(t => new TeamRow(t, members.Members(t.Id), !caller.IsReadOnly && caller.CanManageTeam(t.Id)))
            .ToList(),
        caller.IsAdmin);

    public Outcome<Team> CreateTeam(Caller caller, string? id, string? name) => teams.Create(new NewTeam(id?.Trim(), name?.Trim()), caller);

    public Outcome<TeamMember> AddOrChangeMember(Caller caller, string teamId, string? username, string? role) =>
        members.AddOrChange(teamId, username?.Trim(), role, caller);

    public Outcome<TeamMember> RemoveMember(Caller caller, string teamId, string username) => members.Remove(teamId, username, caller);
}
