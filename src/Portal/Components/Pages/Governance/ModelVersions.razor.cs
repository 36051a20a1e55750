using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>
/// A model's versions with their metadata, aliases and requests. Alias requests, approvals and rejections go through
/// the engine, which applies the four-eyes rule; its refusal is shown as it is. The compared pair is in the URL
/// (?left=1.0.0&amp;right=1.1.0) so a link reproduces the comparison.
/// </summary>
public partial class ModelVersions : GovernancePageBase
{
    private Loaded<VersionsView> _loaded = new(LoadStatus.Loading, null);
    private Loaded<VersionComparison>? _comparison;
    private string? _left;
    private string? _right;
    private string? _alias = Aliases.Production;
    private string? _version;
    private string? _requestReason;
    private (string Model, string? Left, string? Right)? _loadedFor;
    private readonly Dictionary<long, DecisionDraft> _decisions = [];

    [Parameter] public string ModelId { get; set; } = "";
    [SupplyParameterFromQuery(Name = "left")] public string? LeftParameter { get; set; }
    [SupplyParameterFromQuery(Name = "right")] public string? RightParameter { get; set; }
    [Inject] public required RegistryPageModel Model { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    private IReadOnlyList<AliasRequest> Decided => _loaded.Value?.Entry.Requests.Where(r => r.Status != AliasRequestStatus.Pending).Reverse().ToList() ?? [];

    protected override void OnParametersSet()
    {
        var key = (ModelId, LeftParameter, RightParameter);
        if (_loadedFor == key) return;
        var sameModel = _loadedFor?.Model == ModelId;
        _loadedFor = key;
        if (!sameModel) Read();
        Compare();
    }

    private void Read()
    {
        _loaded = Load(c => Model.Load(c, ModelId));
        _version ??= _loaded.Value?.ActiveVersions.FirstOrDefault();
    }

    /// <summary>The URL's pair, else the two newest versions.</summary>
    private void Compare()
    {
        _comparison = null;
        if (_loaded.Value is not { } view || Viewer is null || view.Versions.Count < 2) return;
        _left = LeftParameter ?? view.Versions[1].Info.Version;
        _right = RightParameter ?? view.Versions[0].Info.Version;
        var (left, right) = (_left, _right);
        _comparison = Load(c => Model.Compare(c, ModelId, left, right));
    }

    private void SetLeft(string version) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["left"] = version, ["right"] = _right }), replace: true);

    private void SetRight(string version) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["left"] = _left, ["right"] = version }), replace: true);

    private bool IsMine(AliasRequest request) => Viewer is not null && Viewer.Caller.IsSamePerson(request.RequestedFor);

    private DecisionDraft Decision(long id) => _decisions.TryGetValue(id, out var d) ? d : _decisions[id] = new DecisionDraft();

    private async Task RequestAsync()
    {
        var (alias, version) = (_alias ?? "", _version);
        if (await ChangeAsync(c => Model.RequestAlias(c, ModelId, alias, version, _requestReason),
                Aliases.NeedsApproval(alias) ? $"Requested {alias} → v{version}; an admin or a lead of the owner team (not you) approves it." : $"Requested {alias} → v{version}."))
            _requestReason = null;
        Reload();
    }

    private async Task ApproveAsync(long id)
    {
        await ChangeAsync(c => Model.Approve(c, id, Decision(id).Reason), $"Request {id} approved; the alias has moved.");
        Reload();
    }

    private async Task RejectAsync(long id)
    {
        await ChangeAsync(c => Model.Reject(c, id, Decision(id).Reason), $"Request {id} rejected.");
        Reload();
    }

    private void Reload()
    {
        Read();
        Compare();
    }

    private void ClearMessages() => Problem = Done = null;

    /// <summary>A JSON object as "name=value" pairs, for a compact table cell.</summary>
    private static string KeyValues(string json)
    {
        var values = JsonDiff.Flatten(json);
        return values.Count == 0 ? ViewModels.Format.Missing : string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    private sealed class DecisionDraft
    {
        public string? Reason { get; set; }
    }
}
