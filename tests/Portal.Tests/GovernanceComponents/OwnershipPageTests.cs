using Bunit;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Pages.Governance;

namespace ModelWatch.Portal.Tests.GovernanceComponents;

public class OwnershipPageTests : GovernanceTestContext
{
    private IRenderedComponent<ModelOwnershipPage> Open(string user, string model = "fraud-detector") =>
        Render<ModelOwnershipPage>(p => p.Add(x => x.ModelId, model).AddCascadingValue(Viewing(user)));

    [Fact]
    public void The_page_shows_the_owner_contacts_and_history_newest_first()
    {
        var fraud = Registry.FindModel("fraud-detector")!;
        Ownership.ChangeOwner(fraud, new OwnerChangeRequest("payments-risk", "first rota", "pager:risk"), As("admin").Caller);
        Ownership.ChangeOwner(Registry.FindModel("fraud-detector")!, new OwnerChangeRequest("operations", "ops runs it now", null, "omar"), As("admin").Caller);

        var cut = Open("alice");

        Assert.Contains("operations", cut.Find("[data-testid=owner-team]").TextContent);
        Assert.Contains("pager:risk", cut.Find("[data-testid=owner-oncall]").TextContent);
        var rows = cut.FindAll("[data-testid=owner-history] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("ops runs it now", rows[0].TextContent);
        Assert.Contains("admin", rows[0].TextContent);
    }

    [Fact]
    public void An_auditor_and_a_member_who_is_not_the_lead_cannot_reassign()
    {
        Assert.NotNull(Open("alice").Find("[data-testid=reassign-not-allowed]"));
        Assert.Contains("lead of team 'payments-risk'", Open("dana").Find("[data-testid=reassign-not-allowed]").TextContent);
    }

    [Fact]
    public void A_model_of_another_team_is_not_allowed()
    {
        var cut = Open("dana", "demand-forecast");

        Assert.NotNull(cut.Find("[data-testid=not-allowed]"));
        Assert.Empty(cut.FindAll("[data-testid=owner-current]"));
    }

    [Fact]
    public void An_unknown_model_is_not_found()
    {
        Assert.NotNull(Open("admin", "nope").Find("[data-testid=not-found]"));
    }

    [Fact]
    public void A_reassignment_without_a_reason_is_refused_and_with_one_is_recorded()
    {
        var cut = Open("admin");
        Assert.NotNull(cut.Find("[data-testid=history-empty]"));

        cut.Field("reassign-oncall").Change("pager:fraud");
        cut.Find("[data-testid=reassign-button]").Click();
        Assert.Contains("'reason' is required", cut.Find("[data-testid=action-problem]").TextContent);

        cut.Field("reassign-reason").Change("the fraud rota takes over");
        cut.Find("[data-testid=reassign-button]").Click();

        Assert.Contains("pager:fraud", cut.Find("[data-testid=owner-oncall]").TextContent);
        Assert.Contains("the fraud rota takes over", cut.Find("[data-testid=owner-history] tbody").TextContent);
        Assert.Equal(1, Entries(AuditActions.OwnerChanged));
    }
}

public class OwnershipGapsPageTests : GovernanceTestContext
{
    [Fact]
    public void Models_without_an_on_call_contact_are_listed_for_those_who_can_see_them()
    {
        Ownership.ChangeOwner(Registry.FindModel("demand-forecast")!, new OwnerChangeRequest("operations", "rota set", "pager:ops"), As("admin").Caller);

        var admin = Render<OwnershipGaps>(p => p.AddCascadingValue(Viewing("admin")));
        var dana = Render<OwnershipGaps>(p => p.AddCascadingValue(Viewing("dana")));

        Assert.NotNull(admin.Find("[data-testid=gap-fraud-detector]"));
        Assert.Empty(admin.FindAll("[data-testid=gap-demand-forecast]"));
        Assert.Contains("on-call", admin.Find("[data-testid=gaps-table]").TextContent);
        Assert.Empty(dana.FindAll("[data-testid=gap-demand-forecast]"));
        Assert.NotNull(dana.Find("[data-testid=gap-churn-predictor]"));
    }

    [Fact]
    public void A_user_who_sees_no_model_with_a_gap_gets_the_empty_state()
    {
        var cut = Render<OwnershipGaps>(p => p.AddCascadingValue(Viewing("eve")));

        Assert.NotNull(cut.Find("[data-testid=gaps-empty]"));
    }
}
