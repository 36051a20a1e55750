using Bunit;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.Pages.Alerting;
using ModelWatch.Portal.Tests.Components;
using ModelWatch.Portal.Tests.GovernanceComponents;

namespace ModelWatch.Portal.Tests.AlertingComponents;

public class AlertsPageTests : AlertingTestContext
{
    private IRenderedComponent<Alerts> Open(string user) => Render<Alerts>(p => p.AddCascadingValue(Viewing(user)));

    private static IReadOnlyList<string> Names(IRenderedComponent<Alerts> cut, string section) =>
        cut.FindAll($"[data-testid=section-{section}] [data-testid=alert-name]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public void Nothing_firing_says_so_and_lists_no_sections()
    {
        var cut = Open("dana");

        Assert.Contains("No alerts firing", cut.Find("[data-testid=inbox-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid^=section-]"));
        Assert.NotNull(cut.Find("[data-testid=deliveries-empty]"));
    }

    [Fact]
    public void Sections_run_firing_pending_acknowledged_silenced_resolved()
    {
        Alert("fraud-detector", "payments-risk", "latency", rule: "resolved one", status: AlertRecord.Resolved);
        Alert("fraud-detector", "payments-risk", "latency", rule: "pending one", status: AlertRecord.Pending);
        var acked = Alert("fraud-detector", "payments-risk", "latency", rule: "acked one");
        Assert.True(Services.GetRequiredService<AlertCommands>().Acknowledge(acked, "looking", As("omar").Caller).IsOk);
        Alert("fraud-detector", "payments-risk", "cost", rule: "silenced one");
        Assert.True(Silences.Add(new SilenceSpec([new("alertname", "=", "silenced one")], null, Clock.GetUtcNow().AddHours(1), "maintenance"), As("admin").Caller).IsOk);
        Alert("fraud-detector", "payments-risk", "latency", rule: "firing one");

        var cut = Open("omar");

        var order = cut.FindAll("[data-testid^=section-]").Select(s => s.GetAttribute("data-testid")).ToList();
        Assert.Equal(["section-firing", "section-pending", "section-acknowledged", "section-silenced", "section-resolved"], order);
        Assert.Equal(["firing one"], Names(cut, "firing"));
        Assert.Contains("acknowledged by omar", cut.Find("[data-testid=section-acknowledged] [data-testid=alert-acked]").TextContent);
        Assert.Contains("looking", cut.Find("[data-testid=section-acknowledged]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=section-silenced] [data-testid=alert-silenced]"));
        Assert.Contains("1 firing", cut.Find("[data-testid=count-firing]").TextContent);
    }

    [Theory]
    [InlineData("omar", "latency up", "drift up")]
    [InlineData("dana", "drift up", "latency up")]
    public void Each_role_sees_its_own_concern_first(string user, string first, string second)
    {
        Alert("fraud-detector", "payments-risk", "featureDrift", rule: "drift up");
        Alert("fraud-detector", "payments-risk", "latency", rule: "latency up");

        var cut = Open(user);

        Assert.Equal([first, second], Names(cut, "firing"));
    }

    [Fact]
    public void Another_teams_alerts_are_not_listed()
    {
        Alert("demand-forecast", "operations", "cost", rule: "operations cost");
        Alert("fraud-detector", "payments-risk", "latency", rule: "payments latency");

        var cut = Open("dana");

        Assert.Equal(["payments latency"], Names(cut, "firing"));
        Assert.DoesNotContain("operations cost", cut.Markup);
    }

    [Fact]
    public void Acknowledging_with_a_comment_moves_the_alert_and_names_who()
    {
        var id = Alert("fraud-detector", "payments-risk", "latency", rule: "p95 high");
        var cut = Open("omar");

        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-ack]").Click();
        cut.Field("alert-comment").Input("rolling back the release");
        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["p95 high"], Names(cut, "acknowledged")));
        Assert.Empty(Names(cut, "firing"));
        Assert.Contains("acknowledged by omar", cut.Find($"[data-testid=alert-{id}] [data-testid=alert-acked]").TextContent);
        Assert.Contains("rolling back the release", cut.Find($"[data-testid=alert-{id}]").TextContent);
        Assert.Contains("acknowledged", cut.Find("[data-testid=action-done]").TextContent);
        var stored = Alerts.Find(id)!;
        Assert.Equal("user:omar", stored.AcknowledgedBy);
        Assert.Equal(1, Entries(AlertAuditActions.Acknowledged));
    }

    [Fact]
    public void Resolving_by_hand_moves_the_alert_to_recently_resolved()
    {
        var id = Alert("fraud-detector", "payments-risk", "latency", rule: "p95 high");
        var cut = Open("dana");

        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-resolve]").Click();
        cut.Field("alert-comment").Input("false alarm: load test");
        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["p95 high"], Names(cut, "resolved")));
        Assert.Contains("resolved by dana", cut.Find($"[data-testid=alert-{id}]").TextContent);
        Assert.Equal(AlertRecord.Resolved, Alerts.Find(id)!.Status);
    }

    [Fact]
    public void An_auditor_sees_alerts_but_no_buttons()
    {
        var id = Alert("fraud-detector", "payments-risk", "latency");

        var cut = Open("alice");

        Assert.NotNull(cut.Find($"[data-testid=alert-{id}]"));
        Assert.Empty(cut.FindAll("[data-testid=alert-ack]"));
        Assert.Empty(cut.FindAll("[data-testid=alert-resolve]"));
    }

    [Fact]
    public void A_rule_that_fires_while_the_page_is_open_appears_without_reload()
    {
        Summaries.ByModel["fraud-detector"] = SampleData.Summary(p95: 250);
        Rule("""{ "name": "fraud p95 over 200", "model": "fraud-detector", "signal": "latency", "metric": "p95", "window": "1h", "condition": { "type": "threshold", "op": ">", "value": 200 }, "severity": "critical", "minSamples": 0 }""");
        var cut = Open("omar");
        Assert.NotNull(cut.Find("[data-testid=inbox-empty]"));

        Evaluator.Evaluate();

        cut.WaitForAssertion(() => Assert.Equal(["fraud p95 over 200"], Names(cut, "firing")));
        Assert.Contains("250 ms", cut.Find("[data-testid=section-firing]").TextContent);
    }
}

public class AlertsPageHostileInputTests : AlertingTestContext
{
    [Fact]
    public void Two_people_acknowledging_the_same_alert_the_second_is_told_who_was_first()
    {
        var id = Alert("fraud-detector", "payments-risk", "latency", rule: "p95 high");
        var cut = Render<Alerts>(p => p.AddCascadingValue(Viewing("omar")));
        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-ack]").Click();
        Assert.True(Services.GetRequiredService<AlertCommands>().Acknowledge(id, "mine", As("dana").Caller).IsOk); // dana, in another tab, was quicker

        cut.Find($"[data-testid=alert-{id}] [data-testid=alert-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("already acknowledged by user:dana", cut.Find("[data-testid=action-problem]").TextContent));
        Assert.Equal("user:dana", Alerts.Find(id)!.AcknowledgedBy);
        Assert.Equal(1, Entries(AlertAuditActions.Acknowledged));
    }

    [Fact]
    public void A_runbook_that_is_not_http_is_not_made_a_link_and_markup_in_names_stays_text()
    {
        var id = Alert("fraud-detector", "payments-risk", "latency", rule: "<img src=x onerror=alert(1)>");
        using (var connection = Services.GetRequiredService<Engine.Storage.SqliteConnectionFactory>().Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE alerts SET annotations = '{\"runbook_url\":\"javascript:alert(1)\"}' WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }

        var cut = Render<Alerts>(p => p.AddCascadingValue(Viewing("omar")));

        Assert.DoesNotContain("javascript:", cut.Markup);
        Assert.Empty(cut.FindAll($"[data-testid=alert-{id}] img"));
        Assert.Contains("<img src=x onerror=alert(1)>", cut.Find($"[data-testid=alert-{id}] [data-testid=alert-name]").TextContent);
    }
}
