using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>What one round did; the benchmark and the tests read it.</summary>
public sealed record EvaluationReport(int Rules, int Series, int Summaries, int Transitions, IReadOnlyList<long> ChangedAlerts);

/// <summary>
/// One evaluation round over every rule: each (model, window) is summarised once through the summary reader (the merged
/// windows the panels read), each series steps its state machine, and what changed is written in one transaction.
/// </summary>
public sealed class AlertEvaluator(
    AlertRuleStore rules, AlertStore alerts, RegistryStore registry, OwnershipStore ownership, ISummaryReader summaries,
    SqliteConnectionFactory connections, TimeProvider clock, IOptions<AlertingOptions> options, ILogger<AlertEvaluator> logger,
    ReferenceBands? bands = null)
{
    private readonly Lock _gate = new();
    private Dictionary<SeriesKey, SeriesState>? _series;
    private IReadOnlyList<AlertRule> _rules = [];
    private long _rulesVersion = -1;

    /// <summary>Raised after a round that changed alerts, with their ids.</summary>
    public event Action<IReadOnlyList<long>>? AlertsChanged;

    public TimeSpan Interval => TimeSpan.FromSeconds(options.Value.EvaluationIntervalSeconds);

    public EvaluationReport Evaluate()
    {
        EvaluationReport report;
        lock (_gate) report = EvaluateLocked();
        if (report.ChangedAlerts.Count > 0) AlertsChanged?.Invoke(report.ChangedAlerts);
        return report;
    }

    /// <summary>The live state of every series (for the rule list: normal, pending, insufficient data…).</summary>
    public IReadOnlyList<(SeriesKey Key, AlertState State, double? Value, string? Error)> SeriesOf(string ruleId)
    {
        lock (_gate)
        {
            _series ??= alerts.LoadSeries();
            return _series.Where(s => s.Key.RuleId == ruleId).Select(s => (s.Key, s.Value.State, s.Value.LastValue, s.Value.LastError)).ToList();
        }
    }

    /// <summary>Every series' live state grouped by rule, in one pass (for rule lists).</summary>
    public ILookup<string, (SeriesKey Key, AlertState State, double? Value, string? Error)> SeriesByRule()
    {
        lock (_gate)
        {
            _series ??= alerts.LoadSeries();
            return _series.Select(s => (s.Key, s.Value.State, s.Value.LastValue, s.Value.LastError)).ToLookup(s => s.Key.RuleId);
        }
    }

    /// <summary>A hand-resolved alert sends its series back to normal in memory too (the store did it on disk).</summary>
    public void Forget(long alertId)
    {
        lock (_gate)
        {
            if (_series is null) return;
            var now = clock.GetUtcNow();
            foreach (var s in _series.Values.Where(s => s.ActiveAlert == alertId))
            {
                s.ActiveAlert = null;
                s.State = AlertState.Normal;
                s.StateSince = now;
                s.Recent = 0;
            }
        }
    }

    /// <summary>A changed or deleted rule: its series start afresh (the store removed them on disk).</summary>
    public void ForgetRule(string ruleId)
    {
        lock (_gate) _series?.Keys.Where(k => k.RuleId == ruleId).ToList().ForEach(k => _series.Remove(k));
    }

    private EvaluationReport EvaluateLocked()
    {
        _series ??= alerts.LoadSeries();
        if (rules.Version != _rulesVersion || _rulesVersion < 0)
        {
            _rulesVersion = rules.Version;
            _rules = rules.All().Select(r => r.Rule).ToList();
        }
        var now = clock.GetUtcNow();
        var models = registry.ListModels();
        var byTeam = models.Where(m => m.TeamId is not null).ToLookup(m => m.TeamId!);
        var byId = models.ToDictionary(m => m.Id);
        var work = new Dictionary<(string Model, SummaryWindow Window), List<AlertRule>>();
        foreach (var rule in _rules)
        {
            IEnumerable<ModelDefinition> targets = rule.Model is { } id ? (byId.TryGetValue(id, out var m) ? [m] : []) : byTeam[rule.Team!];
            foreach (var model in targets)
            {
                var key = (model.Id, rule.Window);
                if (!work.TryGetValue(key, out var list)) work[key] = list = [];
                list.Add(rule);
            }
        }

        var changes = new List<Change>();
        var seriesCount = 0;
        foreach (var ((modelId, window), windowRules) in work)
        {
            var model = byId[modelId];
            ModelSummary? summary = null;
            string? readError = null;
            try { summary = summaries.GetSummary(modelId, window); }
            catch (Exception e) { readError = $"The summary could not be computed: {e.Message}"; logger.LogError(e, "Alerting could not summarise {Model} over {Window}", modelId, window.ToName()); }
            foreach (var rule in windowRules)
            {
                IReadOnlyList<SeriesReading> readings;
                string? error = readError;
                try { readings = summary is null ? [new SeriesReading(rule.Feature, null, 0)] : SignalReader.Read(rule, summary); }
                catch (Exception e) { readings = [new SeriesReading(rule.Feature, null, 0)]; error = $"The metric could not be read: {e.Message}"; }
                if (readings.Count == 0 && rule.Feature is not null) readings = [new SeriesReading(rule.Feature, null, 0)];
                if (rule.Condition.LearnsFromReference && bands is not null) readings = readings.Select(r => r with { Band = bands.For(rule, model, r.Feature) }).ToList();
                foreach (var reading in readings)
                {
                    seriesCount++;
                    var key = new SeriesKey(rule.Id, modelId, reading.Feature ?? "");
                    if (!_series.TryGetValue(key, out var state)) _series[key] = state = new SeriesState { StateSince = now, Dirty = true };
                    var previousValue = state.LastValue;
                    var transition = RuleStepper.Step(rule, state, reading, error, now, Interval);
                    if (transition != Transition.None || (state.ActiveAlert is not null && previousValue != state.LastValue))
                        changes.Add(new Change(key, rule, model, reading.Feature, state, transition));
                }
            }
        }

        var changed = Persist(changes, now);
        return new EvaluationReport(_rules.Count, seriesCount, work.Count, changes.Count(c => c.Transition != Transition.None), changed);
    }

    private List<long> Persist(List<Change> changes, DateTimeOffset now)
    {
        var dirty = _series!.Where(s => s.Value.Dirty).ToList();
        var changed = new List<long>();
        if (dirty.Count == 0 && changes.Count == 0) return changed;
        var onCall = changes.Count == 0 ? null : ownership.All().ToDictionary(o => o.Model, o => o.OnCall);
        using var connection = connections.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var c in changes)
        {
            var s = c.State;
            var labels = AlertLabels.For(c.Rule, c.Model, c.Feature);
            var annotations = AlertLabels.Annotations(c.Rule, c.Model, c.Feature, s.LastValue, s.LastThreshold, onCall!.GetValueOrDefault(c.Model.Id));
            switch (c.Transition)
            {
                case Transition.BecamePending or Transition.Fired when s.ActiveAlert is null:
                    var status = c.Transition == Transition.Fired ? AlertRecord.Firing : AlertRecord.Pending;
                    s.ActiveAlert = alerts.Insert(connection, transaction, new AlertRecord(0, AlertLabels.Fingerprint(labels), c.Rule.Id, c.Rule.Name, c.Model.Id,
                        c.Model.TeamId, c.Feature, c.Rule.Signal, c.Rule.Severity, status, labels, annotations, s.LastValue, s.LastThreshold, now, now,
                        null, null, null, null, null, null, null));
                    break;
                case Transition.Fired:
                    alerts.Update(connection, transaction, s.ActiveAlert!.Value, AlertRecord.Firing, s.LastValue, s.LastThreshold, labels, annotations, now, null);
                    break;
                case Transition.PendingCancelled when s.ActiveAlert is { } pending:
                    alerts.DeletePending(connection, transaction, pending);
                    changed.Add(pending);
                    s.ActiveAlert = null;
                    break;
                case Transition.Resolved when s.ActiveAlert is { } firing:
                    alerts.Update(connection, transaction, firing, AlertRecord.Resolved, s.LastValue, s.LastThreshold, labels, annotations, null, now);
                    changed.Add(firing);
                    s.ActiveAlert = null;
                    break;
                default:
                    if (s.ActiveAlert is { } active)
                        alerts.Update(connection, transaction, active, s.State == AlertState.Pending ? AlertRecord.Pending : AlertRecord.Firing,
                            s.LastValue, s.LastThreshold, labels, annotations, null, null);
                    break;
            }
            if (s.ActiveAlert is { } id) changed.Add(id);
            s.Dirty = true;
        }
        foreach (var (key, s) in _series!)
        {
            if (!s.Dirty) continue;
            alerts.SaveSeries(connection, transaction, key, s);
            s.Dirty = false;
        }
        transaction.Commit();
        return changed.Distinct().ToList();
    }

    private sealed record Change(SeriesKey Key, AlertRule Rule, ModelDefinition Model, string? Feature, SeriesState State, Transition Transition);
}
