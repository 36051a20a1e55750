using Microsoft.AspNetCore.Components;
using ModelWatch.Engine;
using ModelWatch.Engine.Audit;
using ModelWatch.Portal.Components.Governance;
using MudBlazor;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>
/// The audit log for admins and auditors: chain verification at the top (walked off the render thread once the page is
/// interactive), filters in the URL, and cursor paging through the engine so millions of rows cost one page each.
/// Anyone else sees "not allowed" and nothing is read.
/// </summary>
public partial class Audit : GovernancePageBase
{
    // Typed and shown as UTC text: a datetime-local input would show the browser's own zone and mm/dd/yyyy under a "UTC" label.
    private const string UtcTime = "yyyy-MM-dd HH:mm";

    private bool _allowed;
    private AuditChoices _choices = new([], [], []);
    private Outcome<AuditVerification>? _verification;
    private DateTimeOffset? _verifiedAt;
    private AuditPage? _page;
    private string? _pageError;
    private int _size = AuditPageModel.DefaultPageSize;
    private readonly AuditCursorTrail _trail = new();
    private readonly HashSet<long> _expanded = [];
    private FilterDraft _draft = new();
    private AuditQuery? _loadedQuery;
    private bool _verifyStarted;

    [SupplyParameterFromQuery(Name = "team")] public string? TeamParameter { get; set; }
    [SupplyParameterFromQuery(Name = "model")] public string? ModelParameter { get; set; }
    [SupplyParameterFromQuery(Name = "actor")] public string? ActorParameter { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? ActionParameter { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParameter { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParameter { get; set; }

    [Inject] public required AuditPageModel Model { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    public AuditQuery Query => new(Text(TeamParameter), Text(ModelParameter), Text(ActorParameter), Text(ActionParameter), AuditQuery.Time(FromParameter), AuditQuery.Time(ToParameter));

    protected override void OnParametersSet()
    {
        _allowed = Viewer is not null && AuditPageModel.MayRead(Viewer.Caller);
        if (!_allowed) return;
        var query = Query;
        if (query == _loadedQuery) return;
        _loadedQuery = query;
        _draft = FilterDraft.Of(query);
        var choices = Model.Choices(Viewer!.Caller);
        if (choices.IsOk) _choices = choices.Value!;
        _trail.Reset();
        Read();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Prerendering never walks the chain; the interactive render does, once.
        if (!_allowed || _verifyStarted) return;
        _verifyStarted = true;
        await VerifyAsync();
    }

    private async Task VerifyAsync()
    {
        var caller = await ActingCallerAsync();
        if (caller is null) return;
        _verification = null;
        StateHasChanged();
        try
        {
            _verification = await Task.Run(() => Model.Verify(caller));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _verification = new Outcome<AuditVerification>(OutcomeKind.Conflict, null, [], e.Message);
        }
        _verifiedAt = Clock.GetUtcNow();
        StateHasChanged();
    }

    private void Read()
    {
        _expanded.Clear();
        var loaded = Load(c =>
        {
            var page = Model.Page(c, Query, _trail.Current, _size);
            return page.IsOk ? Loaded<AuditPage>.Ready(page.Value!) : Loaded<AuditPage>.Failed(OutcomeText.Problem(page)!);
        });
        _page = loaded.Value;
        _pageError = loaded.Message;
    }

    private Task OlderAsync()
    {
        if (_page?.NextCursor is { } next) _trail.Older(next);
        Read();
        return Task.CompletedTask;
    }

    private Task NewerAsync()
    {
        _trail.Newer();
        Read();
        return Task.CompletedTask;
    }

    private Task NewestAsync()
    {
        _trail.Reset();
        Read();
        return Task.CompletedTask;
    }

    private Task SetPageSizeAsync(int size)
    {
        _size = size;
        _trail.Reset();
        Read();
        return Task.CompletedTask;
    }

    private void Toggle(long sequence)
    {
        if (!_expanded.Remove(sequence)) _expanded.Add(sequence);
    }

    private void ApplyFilters() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(_draft.ToQuery().ToParameters()));

    private void ClearFilters() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new AuditQuery().ToParameters()));

    private static Color ActionColor(string action) => action switch
    {
        AuditActions.AccessDenied or AuditActions.SignInFailed or AuditActions.AliasRejected => Color.Error,
        AuditActions.AliasApproved or AuditActions.OwnerChanged or AuditActions.AliasSet => Color.Primary,
        _ => Color.Default,
    };

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>What the filter form holds until Apply puts it in the URL.</summary>
    private sealed class FilterDraft
    {
        public string? Team { get; set; }
        public string? Model { get; set; }
        public string? Actor { get; set; }
        public string? Action { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }

        public static FilterDraft Of(AuditQuery q) => new()
        {
            Team = q.Team, Model = q.Model, Actor = q.Actor, Action = q.Action,
            From = q.From?.UtcDateTime.ToString(UtcTime, System.Globalization.CultureInfo.InvariantCulture),
            To = q.To?.UtcDateTime.ToString(UtcTime, System.Globalization.CultureInfo.InvariantCulture),
        };

        public AuditQuery ToQuery() => new(Text(Team), Text(Model), Text(Actor), Text(Action), AuditQuery.Time(From), AuditQuery.Time(To));
    }
}
