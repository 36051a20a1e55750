using ModelWatch.Engine.Alerting;

namespace ModelWatch.Engine.Tests.Alerting;

/// <summary>"Test your alerts": metric streams on a simulated clock, through the real evaluator, stores and state machine.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private readonly AlertingHarness _h = new();

    public EvaluatorTests() => _h.Model();

    private const string P95Over80 = """{ "name": "p95 over SLO", "model": "fraud-detector", "signal": "latency", "metric": "p95", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 }""";

    private AlertState State(AlertRule rule, string feature = "") => _h.Evaluator.SeriesOf(rule.Id).Single(s => s.Key.Feature == feature).State;

    [Fact]
    public void A_breach_fires_at_once_without_for_and_resolves_when_it_ends()
    {
        var rule = _h.Rule(P95Over80 + "}");
        _h.Summaries.Latency("fraud-detector", 50);
        _h.Round();
        Assert.Empty(_h.AlertsOf());
        Assert.Equal(AlertState.Normal, State(rule));

        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        var alert = Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        Assert.Equal(120, alert.Value);
        Assert.Equal("p95 over SLO", alert.Labels["alertname"]);
        Assert.Equal("payments-risk", alert.Labels["team"]);

        _h.Summaries.Latency("fraud-detector", 60);
        _h.Round();
        var resolved = Assert.Single(_h.AlertsOf(AlertRecord.Resolved));
        Assert.Equal(alert.Id, resolved.Id);
        Assert.Equal(_h.Clock.GetUtcNow(), resolved.EndsAt);
    }

    [Fact]
    public void For_keeps_an_alert_pending_until_the_breach_lasts_long_enough()
    {
        var rule = _h.Rule(P95Over80 + """, "for": "2m" }""");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        Assert.Equal(AlertState.Pending, State(rule));
        Assert.Single(_h.AlertsOf(AlertRecord.Pending));
        _h.Run(TimeSpan.FromSeconds(90));
        Assert.Empty(_h.AlertsOf(AlertRecord.Firing));
        _h.Run(TimeSpan.FromSeconds(30));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        Assert.Equal(AlertState.Firing, State(rule));
    }

    [Fact]
    public void A_pending_alert_that_recovers_before_for_never_fires_and_leaves_no_alert()
    {
        var rule = _h.Rule(P95Over80 + """, "for": "2m" }""");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Run(TimeSpan.FromMinutes(1));
        _h.Summaries.Latency("fraud-detector", 40);
        _h.Round();
        Assert.Empty(_h.AlertsOf());
        Assert.Equal(AlertState.Normal, State(rule));
    }

    [Fact]
    public void KeepFiringFor_holds_a_recovering_alert_and_a_new_breach_keeps_the_same_alert()
    {
        var rule = _h.Rule(P95Over80 + """, "keepFiringFor": "5m" }""");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        var id = Assert.Single(_h.AlertsOf(AlertRecord.Firing)).Id;
        _h.Summaries.Latency("fraud-detector", 40);
        _h.Run(TimeSpan.FromMinutes(2));
        Assert.Equal(AlertState.Recovering, State(rule));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        _h.Summaries.Latency("fraud-detector", 130);
        _h.Round();
        Assert.Equal(AlertState.Firing, State(rule));
        Assert.Equal(id, Assert.Single(_h.AlertsOf()).Id);
        _h.Summaries.Latency("fraud-detector", 40);
        _h.Run(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(45));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        _h.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(id, Assert.Single(_h.AlertsOf(AlertRecord.Resolved)).Id);
    }

    [Fact]
    public void M_of_N_fires_only_when_enough_of_the_last_evaluations_fail()
    {
        var rule = _h.Rule(P95Over80 + """, "condition": { "type": "threshold", "op": ">", "value": 80, "minFailing": 3, "ofLast": 5 } }""".Replace(""", "condition": { "type": "threshold", "op": ">", "value": 80 }""", ""));
        Assert.Equal((3, 5), (rule.Condition.MinFailing, rule.Condition.OfLast));
        foreach (var p95 in new[] { 120.0, 40, 120, 40 })
        {
            _h.Summaries.Latency("fraud-detector", p95);
            _h.Round();
        }
        Assert.Empty(_h.AlertsOf());
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
    }

    [Fact]
    public void Too_few_events_give_insufficient_data_not_an_alert()
    {
        var rule = _h.Rule(P95Over80 + """, "minSamples": 100 }""");
        _h.Summaries.Latency("fraud-detector", 500, count: 40);
        _h.Run(TimeSpan.FromMinutes(5));
        Assert.Empty(_h.AlertsOf());
        Assert.Equal(AlertState.InsufficientData, State(rule));
        _h.Summaries.Latency("fraud-detector", 500, count: 100);
        _h.Round();
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
    }

    [Fact]
    public void A_model_without_traffic_is_no_data_not_normal()
    {
        var rule = _h.Rule(P95Over80 + "}");
        _h.Summaries.Silent("fraud-detector");
        _h.Round();
        Assert.Equal(AlertState.NoData, State(rule));
        Assert.Empty(_h.AlertsOf());
    }

    [Fact]
    public void The_noData_signal_fires_when_no_event_arrived_for_the_window()
    {
        _h.Rule("""{ "name": "silent", "model": "fraud-detector", "signal": "noData", "window": "5m" }""");
        _h.Summaries.Latency("fraud-detector", 10, lastEvent: _h.Clock.GetUtcNow());
        _h.Round();
        Assert.Empty(_h.AlertsOf());
        var last = _h.Clock.GetUtcNow();
        _h.Summaries.Silent("fraud-detector");
        _h.Run(TimeSpan.FromMinutes(4));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing)); // never any event in the window counts as silent since the window began
    }

    [Fact]
    public void A_band_learned_from_trailing_windows_fires_on_a_spike_and_not_on_ordinary_noise()
    {
        var rule = _h.Rule("""{ "name": "p95 band", "model": "fraud-detector", "signal": "latency", "window": "5m", "condition": { "type": "band", "k": 3, "trailing": 12 } }""");
        var noise = new[] { 50.0, 52, 48, 51, 49, 53, 47, 50, 52, 48 };
        foreach (var p95 in noise)
        {
            _h.Summaries.Latency("fraud-detector", p95);
            _h.Round(TimeSpan.FromMinutes(5));
        }
        Assert.Empty(_h.AlertsOf());
        _h.Summaries.Latency("fraud-detector", 90);
        _h.Round(TimeSpan.FromMinutes(5));
        var alert = Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        Assert.Contains("mean", alert.Threshold);
    }

    [Fact]
    public void A_band_is_clipped_to_the_metric_range()
    {
        _h.Rule("""{ "name": "drift band", "model": "fraud-detector", "signal": "featureDrift", "feature": "amount", "metric": "drifted", "window": "5m", "condition": { "type": "band", "k": 3 } }""");
        foreach (var v in new[] { 0.0, 1, 0, 1, 0, 1 })
        {
            _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = v > 0 ? 0.5 : 0.01 });
            _h.Round(TimeSpan.FromMinutes(5));
        }
        var threshold = _h.Evaluator.SeriesOf(_h.Rules.All().Single().Rule.Id).Single();
        Assert.NotEqual(AlertState.Firing, threshold.State);
        var text = _h.AlertsOf().Select(a => a.Threshold).FirstOrDefault();
        Assert.Null(text); // 0 and 1 are inside [0, 1]: clipped bounds never make a valid value fire
    }

    [Fact]
    public void A_relative_rule_compares_with_the_previous_window()
    {
        _h.Rule("""{ "name": "p95 doubled", "model": "fraud-detector", "signal": "latency", "window": "5m", "condition": { "type": "relative", "op": ">", "value": 50, "compareTo": "previousWindow" } }""");
        _h.Summaries.Latency("fraud-detector", 40);
        _h.Run(TimeSpan.FromMinutes(6));
        Assert.Empty(_h.AlertsOf());
        _h.Summaries.Latency("fraud-detector", 70);
        _h.Round();
        var alert = Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        Assert.Contains("vs 40", alert.Threshold);
    }

    [Fact]
    public void A_feature_drift_rule_without_a_feature_watches_every_feature()
    {
        _h.Rule("""{ "name": "drift", "model": "fraud-detector", "signal": "featureDrift", "window": "1h", "condition": { "type": "threshold", "op": ">", "value": 0.1 } }""");
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3, ["age"] = 0.02, ["country"] = 0.4 });
        _h.Round();
        Assert.Equal(["amount", "country"], _h.AlertsOf(AlertRecord.Firing).Select(a => a.Feature).Order());
    }

    [Fact]
    public void A_team_rule_covers_every_model_the_team_owns()
    {
        _h.Model("churn-predictor");
        _h.Rule("""{ "name": "team p95", "team": "payments-risk", "signal": "latency", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Summaries.Latency("churn-predictor", 130);
        _h.Round();
        Assert.Equal(["churn-predictor", "fraud-detector"], _h.AlertsOf(AlertRecord.Firing).Select(a => a.ModelId).Order());
    }

    [Fact]
    public void A_restart_remembers_a_pending_alert_and_fires_it_when_for_is_over()
    {
        var rule = _h.Rule(P95Over80 + """, "for": "2m" }""");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        _h.Run(TimeSpan.FromMinutes(1));
        _h.Restart();
        _h.Summaries.Latency("fraud-detector", 120);
        Assert.Equal(AlertState.Pending, State(rule));
        _h.Run(TimeSpan.FromSeconds(45));
        Assert.Empty(_h.AlertsOf(AlertRecord.Firing));
        _h.Run(TimeSpan.FromSeconds(30));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
    }

    [Fact]
    public void Each_model_and_window_is_summarised_once_per_round_however_many_rules_read_it()
    {
        for (var i = 0; i < 5; i++) _h.Rule(P95Over80.Replace("p95 over SLO", $"rule {i}") + "}");
        _h.Summaries.Latency("fraud-detector", 50);
        var report = _h.Round();
        Assert.Equal(1, report.Summaries);
        Assert.Equal(1, _h.Summaries.Reads);
        Assert.Equal(5, report.Series);
    }

    [Fact]
    public void A_changed_rule_resolves_its_old_alerts_and_starts_afresh()
    {
        var rule = _h.Rule(P95Over80 + "}");
        _h.Summaries.Latency("fraud-detector", 120);
        _h.Round();
        var spec = rule.ToSpec() with { Condition = rule.ToSpec().Condition! with { Value = System.Text.Json.JsonSerializer.SerializeToElement(200) } };
        Assert.True(_h.RuleCommands.Update(rule.Id, spec, AlertingHarness.Admin).IsOk);
        Assert.Single(_h.AlertsOf(AlertRecord.Resolved));
        _h.Round();
        Assert.Empty(_h.AlertsOf(AlertRecord.Firing));
    }

    public void Dispose() => _h.Dispose();
}
