using Bunit;
using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Audit;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.Pages.Governance;

namespace ModelWatch.Portal.Tests.GovernanceComponents;

public class AuditPageTests : GovernanceTestContext
{
    private IRenderedComponent<Audit> Open(string user, string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("audit" + query);
        var cut = Render<Audit>(p => p.AddCascadingValue(Viewing(user)));
        // The chain walk finishes off the render thread; let it land before clicking, as a person would.
        if (cut.FindAll("[data-testid=verification]").Count > 0)
            cut.WaitForAssertion(() => Assert.NotEqual("checking", cut.Find("[data-testid=verification]").GetAttribute("data-state")));
        return cut;
    }

    private void Record(int count, string action = AuditActions.MemberAdded)
    {
        for (var i = 0; i < count; i++)
            Audit.Append(new NewAuditEntry("user:admin", action, "payments-risk", Before: i == 0 ? null : new { username = "u" + i, role = "member" }, After: new { username = "u" + i, role = "lead" }));
    }

    [Fact]
    public void The_date_filters_are_utc_text_not_the_browsers_local_date_picker()
    {
        var cut = Open("alice", "?from=2026-12-07T10:00:00Z&to=2026-12-07T18:30:00Z");

        var from = cut.Find("[data-testid=filter-from] input, input[data-testid=filter-from]");
        Assert.NotEqual("datetime-local", from.GetAttribute("type"));
        Assert.Equal("2026-12-07 10:00", from.GetAttribute("value"));
        Assert.Equal("2026-12-07 18:30", cut.Find("[data-testid=filter-to] input, input[data-testid=filter-to]").GetAttribute("value"));
        Assert.Contains("UTC", cut.Markup);
    }

    [Fact]
    public void An_auditor_sees_the_chain_verified_at_the_top_and_the_newest_entries()
    {
        Record(3);

        var cut = Open("alice");

        cut.WaitForAssertion(() => Assert.Equal("valid", cut.Find("[data-testid=verification]").GetAttribute("data-state")));
        Assert.Contains("3 entries verified", cut.Find("[data-testid=verification]").TextContent);
        var rows = cut.FindAll("[data-testid^=entry-]");
        Assert.Equal(["3", "2", "1"], rows.Select(r => r.TextContent.Trim()));
    }

    [Fact]
    public void A_data_scientist_is_not_allowed_and_nothing_is_read()
    {
        Record(1);

        var cut = Open("dana");

        Assert.NotNull(cut.Find("[data-testid=not-allowed]"));
        Assert.Empty(cut.FindAll("[data-testid=verification]"));
        Assert.Empty(cut.FindAll("[data-testid=audit-table]"));
    }

    [Fact]
    public void Clicking_an_entry_shows_before_and_after_field_by_field()
    {
        Record(2);
        var cut = Open("admin");

        cut.Find("[data-testid=toggle-2]").Click();

        Assert.Equal("changed", cut.Find("[data-testid=detail-2] [data-testid=diff-role]").GetAttribute("data-kind"));
        Assert.Contains("member", cut.Find("[data-testid=detail-2] [data-testid=diff-role]").TextContent);
        Assert.Equal("same", cut.Find("[data-testid=detail-2] [data-testid=diff-username]").GetAttribute("data-kind"));
    }

    [Fact]
    public void Filters_come_from_the_url_and_the_export_links_carry_them()
    {
        Record(2);
        Record(1, AuditActions.TeamCreated);

        var cut = Open("alice", "?action=team.created&from=2026-01-01T00:00:00Z");

        Assert.Single(cut.FindAll("[data-testid^=entry-]"));
        var csv = cut.Find("[data-testid=export-csv]").GetAttribute("href")!;
        Assert.Contains("/api/v1/audit/export?", csv);
        Assert.Contains("action=team.created", csv);
        Assert.Contains("from=2026-01-01T00%3A00%3A00Z", csv);
        Assert.Contains("format=csv", csv);
        Assert.Contains("format=jsonl", cut.Find("[data-testid=export-jsonl]").GetAttribute("href"));
    }

    [Fact]
    public void Filters_that_match_nothing_say_so()
    {
        Record(1);

        var cut = Open("alice", "?actor=user:nobody");

        Assert.Contains("No entries match these filters", cut.Find("[data-testid=audit-empty]").TextContent);
    }

    [Fact]
    public void Older_and_newer_page_through_the_log_by_cursor()
    {
        Record(60);
        var cut = Open("alice");
        Assert.Equal("60", cut.FindAll("[data-testid^=entry-]")[0].TextContent.Trim());

        // The page loads the next slice off the render thread: wait for it rather than read the markup at once.
        cut.Find("[data-testid=page-older] ").Click();
        cut.WaitForAssertion(() =>
        {
            var older = cut.FindAll("[data-testid^=entry-]");
            Assert.Equal(["10", "1"], new[] { older[0].TextContent.Trim(), older[^1].TextContent.Trim() });
            Assert.True(cut.Find("[data-testid=page-older]").HasAttribute("disabled"));
        }, TimeSpan.FromSeconds(10));

        cut.Find("[data-testid=page-newer]").Click();
        cut.WaitForAssertion(() => Assert.Equal("60", cut.FindAll("[data-testid^=entry-]")[0].TextContent.Trim()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Entries_about_a_model_link_to_its_evidence_pack()
    {
        Audit.Append(new NewAuditEntry("user:admin", AuditActions.OwnerChanged, Model: "fraud-detector", Reason: "r"));

        var cut = Open("admin");

        Assert.Equal("/api/v1/models/fraud-detector/evidence", cut.Find("[data-testid=entry-1]").ParentElement!.QuerySelector("a.evidence")!.GetAttribute("href"));
    }
}

public class JsonDiffTests
{
    [Fact]
    public void Fields_are_compared_by_dotted_path()
    {
        var changes = JsonDiff.Compare("""{ "team": "a", "contact": { "onCall": "x" }, "gone": 1 }""", """{ "team": "b", "contact": { "onCall": "x", "escalation": "y" } }""");

        Assert.Equal(
            [new FieldChange("contact.escalation", null, "y", ChangeKind.Added), new FieldChange("gone", "1", null, ChangeKind.Removed), new FieldChange("team", "a", "b", ChangeKind.Changed)],
            changes);
    }

    [Fact]
    public void Nothing_before_means_every_field_was_added()
    {
        Assert.All(JsonDiff.Compare(null, """{ "a": 1, "b": [1, 2] }"""), c => Assert.Equal(ChangeKind.Added, c.Kind));
    }
}
