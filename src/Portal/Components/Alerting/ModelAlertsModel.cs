using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>A rule watching one model, with the live state of its series on that model.</summary>
public sealed record ModelRule(StoredAlertRule Stored, IReadOnlyList<(string? Feature, string State, double? Value, string? Error)> Series)
{
    public AlertRule Rule => Stored.Rule;

    /// <summary>A team rule covers every model of the team; it is changed where it was made, not on one model's tab.</summary>
    public bool IsTeamRule => Rule.Team is not null;
}

/// <summary>
/// The model page's Alerts tab: the rules that watch a model, trying a rule on history, saving and deleting. Rule
/// commands authorise (admin or a lead of the owner team) and validate; this only reads for a caller who may read the model.
/// </summary>
public sealed class ModelAlertsModel(AlertRuleStore rules, AlertRuleCommands commands, AlertEvaluator evaluator, AlertPreview preview, RegistryStore registry, TimeProvider clock)
{
    private static readonly TimeSpan PreviewMargin = TimeSpan.FromSeconds(30);

    public IReadOnlyList<ModelRule> Rules(ModelDefinition model, Caller caller)
    {
        if (!caller.CanRead(model)) return [];
        var series = evaluator.SeriesByRule();
        return rules.All()
            .Where(r => r.Rule.Model == model.Id || (r.Rule.Team is not null && r.Rule.Team == model.TeamId))
            .Where(r => commands.CanRead(r.Rule, caller))
            .Select(r => new ModelRule(r, series[r.Rule.Id].Where(s => s.Key.ModelId == model.Id)
                .OrderBy(s => s.Key.Feature, StringComparer.Ordinal)
                .Select(s => (s.Key.Feature == "" ? null : s.Key.Feature, s.State.ToName(), s.Value, s.Error)).ToList()))
            .ToList();
    }

    /// <summary>Whether to offer editing; the commands decide again on save.</summary>
    public static bool MayManage(ModelDefinition model, Caller caller) =>
        caller.IsAdmin || (!caller.IsReadOnly && model.TeamId is { } team && caller.LeadOf.Contains(team));

    /// <summary>The rule on the chosen stretch of the model's stored timeline (at most 7 days), validated as the API validates it.</summary>
    public Outcome<PreviewResult> Preview(RuleForm form, ModelDefinition model, Caller caller)
    {
        if (!caller.CanRead(model)) return new(OutcomeKind.NotFound, null, [], $"There is no model '{model.Id}' you may see.");
        var valid = RuleValidation.Validate("preview", form.ToSpec(model.Id), registry);
        if (!valid.IsOk) return Outcome<PreviewResult>.Invalid(valid.Errors, valid.Message!);
        // A little inside the range: the preview picks the finest timeline by measuring from its own, slightly later, now.
        var now = clock.GetUtcNow();
        return preview.Run(valid.Value!, now - form.PreviewRange + PreviewMargin, null);
    }

    public Outcome<StoredAlertRule> Save(RuleForm form, ModelDefinition model, Caller caller) =>
        form.Id is { } id ? commands.Update(id, form.ToSpec(model.Id), caller) : commands.Create(form.ToSpec(model.Id), caller);

    public Outcome<StoredAlertRule> Delete(string id, Caller caller) => commands.Delete(id, caller);
}
