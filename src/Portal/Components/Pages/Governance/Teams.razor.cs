using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>Teams with their members; admins create teams, admins and team leads add and remove members.</summary>
public partial class Teams : GovernancePageBase
{
    private LoadStatus _status = LoadStatus.Loading;
    private TeamsView? _view;
    private string? _error;
    private string? _newTeamId;
    private string? _newTeamName;
    private readonly Dictionary<string, MemberDraft> _drafts = new(StringComparer.Ordinal);

    [Inject] public required TeamsPageModel Model { get; init; }

    private TeamsView View => _view ?? throw new InvalidOperationException("Teams not loaded.");

    protected override void OnParametersSet() => Load();

    private void Load()
    {
        if (Viewer is null)
        {
            _status = LoadStatus.Error;
            _error = "You are not signed in.";
            return;
        }
        try
        {
            _view = Model.Load(Viewer.Caller);
            _status = LoadStatus.Ready;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = e.Message;
            _status = LoadStatus.Error;
        }
    }

    private MemberDraft Draft(string team) => _drafts.TryGetValue(team, out var d) ? d : _drafts[team] = new MemberDraft();

    private async Task CreateTeamAsync()
    {
        var id = _newTeamId;
        if (await ChangeAsync(c => Model.CreateTeam(c, _newTeamId, _newTeamName), $"Team '{id}' created."))
        {
            _newTeamId = _newTeamName = null;
        }
        Load();
    }

    private async Task AddAsync(string team)
    {
        var draft = Draft(team);
        if (await ChangeAsync(c => Model.AddOrChangeMember(c, team, draft.Username, draft.Role), $"'{draft.Username}' is now a {draft.Role} of '{team}'."))
            _drafts.Remove(team);
        Load();
    }

    private async Task RemoveAsync(string team, string username)
    {
        await ChangeAsync(c => Model.RemoveMember(c, team, username), $"'{username}' was removed from '{team}'.");
        Load();
    }

    private void ClearMessages() => Problem = Done = null;

    private sealed class MemberDraft
    {
        public string? Username { get; set; }
        public string Role { get; set; } = "member";
    }
}
