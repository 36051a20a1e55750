using System.Globalization;
using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.Pages.Governance;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Pages.Alerting;

/// <summary>Active and upcoming silences, a form to add one (prefilled from ?model=&amp;alertname= of an inbox link) and expiry.</summary>
public partial class Silences : GovernancePageBase
{
    private const string StartFormat = "yyyy-MM-dd HH:mm";
    private Loaded<SilenceList> _loaded = new(LoadStatus.Loading, null);
    private List<MatcherInput> _matchers = [new()];
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private string? _startsAt;
    private double? _hours = 2;
    private string? _comment;
    private bool _prefilled;

    [Inject] public required SilencesModel Model { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [SupplyParameterFromQuery(Name = "model")] public string? ModelParameter { get; set; }
    [SupplyParameterFromQuery(Name = "alertname")] public string? AlertNameParameter { get; set; }

    private bool CanAdd => Viewer is { Caller.IsReadOnly: false };

    protected override void OnParametersSet()
    {
        Reload();
        if (_prefilled) return;
        _prefilled = true;
        var prefill = new List<MatcherInput>();
        if (!string.IsNullOrWhiteSpace(ModelParameter)) prefill.Add(new MatcherInput { Label = "model", Value = ModelParameter });
        if (!string.IsNullOrWhiteSpace(AlertNameParameter)) prefill.Add(new MatcherInput { Label = "alertname", Value = AlertNameParameter });
        if (prefill.Count > 0) _matchers = prefill;
    }

    private void Reload() => _loaded = Load(c => Loaded<SilenceList>.Ready(Model.List(c)));

    private string? FieldError(string field) => _errors.GetValueOrDefault(field);

    private string Window(Silence s)
    {
        var now = Clock.GetUtcNow();
        return s.Status(now) switch
        {
            "pending" => $"starts {Format.When(s.StartsAt, now)}, ends {Format.When(s.EndsAt, now)}",
            "active" => $"since {Format.When(s.StartsAt, now)}, ends {Format.When(s.EndsAt, now)}",
            _ => $"ended {Format.When(s.EndsAt, now)}",
        };
    }

    private async Task AddAsync()
    {
        _errors = new(StringComparer.Ordinal);
        DateTimeOffset? start = null;
        if (!string.IsNullOrWhiteSpace(_startsAt))
        {
            if (!DateTime.TryParseExact(_startsAt.Trim(), StartFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                _errors["startsAt"] = $"Write the start as {StartFormat} in UTC, e.g. {Clock.GetUtcNow().AddHours(1).UtcDateTime.ToString(StartFormat, CultureInfo.InvariantCulture)}, or leave it empty for now.";
                return;
            }
            start = new DateTimeOffset(parsed, TimeSpan.Zero);
        }
        var ok = await ChangeAsync(c =>
        {
            var outcome = Model.Add(_matchers, start, _hours, _comment, c);
            _errors = outcome.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
            return outcome;
        }, "Silence added: matching alerts notify nobody until it ends.");
        if (ok)
        {
            _matchers = [new()];
            _comment = null;
            _startsAt = null;
        }
        Reload();
    }

    private async Task ExpireAsync(string id)
    {
        await ChangeAsync(c => Model.Expire(id, c), $"Silence {id} expired; alerts it held back are notified if they still fire.");
        Reload();
    }

    private void Dismiss()
    {
        Problem = null;
        Done = null;
    }
}
