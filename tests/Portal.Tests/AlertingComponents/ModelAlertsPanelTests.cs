using Bunit;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Tests.Components;
using ModelWatch.Portal.Tests.GovernanceComponents;

namespace ModelWatch.Portal.Tests.AlertingComponents;

public class ModelAlertsPanelTests : AlertingTestContext
{
    private IRenderedComponent<ModelAlertsPanel> Open(string user, string model) =>
        Render<ModelAlertsPanel>(p => p.AddCascadingValue(Viewing(user)).Add(c => c.Model, Registry.FindModel(model)!));

    [Fact]
    public void The_tab_lists_the_models_rules_and_a_member_who_is_not_lead_cannot_add()
    {
        Rule("""{ "name": "fraud p95", "model": "fraud-detector", "signal": "latency", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""");
        Rule("""{ "name": "churn p95", "model": "churn-predictor", "signal": "latency", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""");

        var cut = Open("omar", "fraud-detector");

        var rules = cut.FindAll("[data-testid^=rule-rule_]");
        Assert.Single(rules);
        Assert.Contains("fraud p95", rules[0].TextContent);
        Assert.Contains("latency p95 over 5m > 80", rules[0].TextContent);
        Assert.Empty(cut.FindAll("[data-testid=rule-new]"));
        Assert.Empty(cut.FindAll("[data-testid=rule-edit]"));
        Assert.Contains("Only an admin or a lead of team payments-risk", cut.Markup);
    }

    [Fact]
    public void Saving_an_incomplete_rule_names_each_wrong_field_and_stores_nothing()
    {
        var cut = Open("dana", "churn-predictor");
        cut.Find("[data-testid=rule-new]").Click();
        cut.Field("rule-name").Input("");

        cut.Find("[data-testid=rule-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("'name' is required", cut.Find("[data-testid=rule-editor]").TextContent));
        Assert.Contains("'condition.value' must be a number", cut.Find("[data-testid=rule-editor]").TextContent);
        Assert.Empty(RuleStore.All());
    }

    [Fact]
    public void A_rule_is_tried_on_history_and_drawn_before_it_is_saved()
    {
        Summaries.Timelines["churn-predictor"] = SampleData.Timeline("churn-predictor", points: 30);
        var draw = JSInterop.SetupModule(UiTestContext.PlotlyModule).SetupVoid("draw", _ => true);
        var cut = Open("dana", "churn-predictor");
        cut.Find("[data-testid=rule-new]").Click();
        cut.Field("rule-name").Input("churn p95 over 110");
        cut.Field("rule-value").Change("110");

        cut.Find("[data-testid=rule-preview]").Click();

        cut.WaitForAssertion(() => Assert.Contains("It would have fired 1 time", cut.Find("[data-testid=preview-summary]").TextContent));
        cut.WaitForAssertion(() => Assert.NotEmpty(draw.Invocations));
        Assert.Empty(RuleStore.All()); // tried, not saved

        cut.Find("[data-testid=rule-save]").Click();

        cut.WaitForAssertion(() => Assert.Single(RuleStore.All()));
        var saved = RuleStore.All()[0];
        Assert.Equal("churn p95 over 110", saved.Rule.Name);
        Assert.Equal(110, saved.Rule.Condition.Value);
        Assert.Equal("user:dana", saved.CreatedBy);
        Assert.Contains("churn p95 over 110", cut.Find("[data-testid^=rule-rule_]").TextContent);
    }

    [Fact]
    public void Deleting_asks_once_more_then_removes_the_rule()
    {
        var rule = Rule("""{ "name": "churn p95", "model": "churn-predictor", "signal": "latency", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""");
        var cut = Open("dana", "churn-predictor");

        cut.Find("[data-testid=rule-delete]").Click();
        Assert.Single(RuleStore.All());
        cut.Find("[data-testid=rule-delete-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Empty(RuleStore.All()));
        Assert.NotNull(cut.Find("[data-testid=rules-empty]"));
        Assert.Equal(1, Entries(AlertAuditActions.RuleDeleted));
        Assert.Null(RuleStore.Find(rule.Rule.Id));
    }
}
