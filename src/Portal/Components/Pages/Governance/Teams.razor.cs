using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>Teams with their members; admins create teams, admins and team leads add and remove members.</summary>
public partial class Teams : GovernancePageBase
{
    private Loaded<TeamsView> _loaded = new(LoadStatus.Loading, null);
    private string? _newTeamId;
    private string? _newTeamName;
    private readonly Dictionary<string, MemberDraft> _drafts = new(StringComparer.Ordinal);

    [Inject] public required TeamsPageModel Model { get; init; }

    private TeamsView View => _loaded.Value ?? throw new InvalidOperationException("Teams not loaded.");

    protected override void OnParametersSet() => Reload();

    private void Reload() => _loaded = Load(c => Loaded<TeamsView>.Ready(Model.Load(c)));

    private MemberDraft Draft(string team) => _drafts.TryGetValue(team, out var d) ? d : _drafts[team] = new MemberDraft();

    private async Task CreateTeamAsync()
    {
        var id = _newTeamId;
        if (await ChangeAsync(c => Model.CreateTeam(c, _newTeamId, _newTeamName), $"Team '{id}' created."))
        {
            _newTeamId = _newTeamName = null;
        }
        Reload();
    }

    private async Task AddAsync(string team)
    {
        var draft = Draft(team);
        if (await ChangeAsync(c => Model.AddOrChangeMember(c, team, draft.Username, draft.Role), $"'{draft.Username}' is now a {draft.Role} of '{team}'."))
            _drafts.Remove(team);
        Reload();
    }

    private async Task RemoveAsync(string team, string username)
    {
        await ChangeAsync(c => Model.RemoveMember(c, team, username), $"'{username}' was removed from '{team}'.");
        Reload();
    }

    private void ClearMessages() => Problem = Done = null;

    private sealed class MemberDraft
    {
        public string? Username { get; set; }
        public string Role { get; set; } = "member";
    }
}
