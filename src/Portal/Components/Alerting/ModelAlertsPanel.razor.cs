using Microsoft.AspNetCore.Components;
using ModelWatch.Engine;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Pages.Governance;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;

namespace ModelWatch.Portal.Components.Alerting;

public partial class ModelAlertsPanel : GovernancePageBase
{
    private IReadOnlyList<ModelRule> _rules = [];
    private RuleForm? _form;
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private PreviewResult? _preview;
    private AlertRuleSpec? _previewSpec;
    private string _previewKey = "";
    private string? _confirmDelete;
    private bool _busy;

    [Parameter, EditorRequired] public ModelDefinition Model { get; set; } = null!;
    [Inject] public required ModelAlertsModel Alerts { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private DateTimeOffset Now => Clock.GetUtcNow();
    private bool CanManage => Viewer is not null && ModelAlertsModel.MayManage(Model, Viewer.Caller);

    /// <summary>Errors of fields the form does not show (labels, a team rule's scope), listed under the form.</summary>
    private IReadOnlyList<string> OtherErrors => _errors.Where(e => !Shown.Contains(e.Key)).Select(e => e.Value).ToList();

    private static readonly HashSet<string> Shown =
    [
        "name", "severity", "signal", "metric", "feature", "window", "condition.type", "condition.k", "condition.learnFrom", "condition.op", "condition.value",
        "for", "keepFiringFor", "minSamples", "annotations.summary", "annotations.runbook_url",
    ];

    protected override void OnParametersSet() => Reload();

    private void Reload()
    {
        try { _rules = Viewer is null ? [] : Alerts.Rules(Model, Viewer.Caller); }
        catch (Exception e) when (e is not OperationCanceledException) { Problem = "The rules could not be read: " + e.Message; }
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private void New() => Open(new RuleForm { Name = $"{Model.Id} ", Summary = "" });

    private void Edit(ModelRule rule) => Open(RuleForm.From(rule.Rule));

    private void Open(RuleForm form)
    {
        _form = form;
        _errors = new(StringComparer.Ordinal);
        _preview = null;
        _confirmDelete = null;
    }

    private void Close()
    {
        _form = null;
        _preview = null;
        _errors = new(StringComparer.Ordinal);
    }

    private IList<ITrace> PreviewTraces() => _preview is null ? [] : PreviewCharts.Traces(_preview);

    private PlotLayout PreviewLayout() => _preview is null || _previewSpec is null ? new PlotLayout() : PreviewCharts.Layout(_preview, _previewSpec, $"{_form?.Signal} {_form?.Metric}");

    private async Task PreviewAsync()
    {
        if (_form is null) return;
        _busy = true;
        try
        {
            var caller = await ActingCallerAsync();
            if (caller is null) { Problem = "Your session has ended; sign in again."; return; }
            var outcome = Alerts.Preview(_form, Model, caller);
            TakeErrors(outcome);
            _preview = outcome.Value;
            _previewSpec = _form.ToSpec(Model.Id);
            _previewKey = Guid.NewGuid().ToString("N");
            Problem = outcome.IsOk ? null : Governance.OutcomeText.Problem(outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Problem = "The preview failed: " + e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        if (_form is not { } form) return;
        _busy = true;
        try
        {
            var saved = await ChangeAsync(c =>
            {
                var outcome = Alerts.Save(form, Model, c);
                TakeErrors(outcome);
                return outcome;
            }, form.IsNew ? $"Rule '{form.Name.Trim()}' saved; it is evaluated from now on." : $"Rule '{form.Name.Trim()}' changed; its open alerts resolved and it starts afresh.");
            if (saved) Close();
            Reload();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(string id)
    {
        _confirmDelete = null;
        await ChangeAsync(c => Alerts.Delete(id, c), "Rule deleted; its open alerts resolved.");
        Reload();
    }

    private void TakeErrors<T>(Outcome<T> outcome) =>
        _errors = outcome.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);

    private void Dismiss()
    {
        Problem = null;
        Done = null;
    }
}
