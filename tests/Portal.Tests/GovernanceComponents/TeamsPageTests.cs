using Bunit;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Portal.Components.Pages.Governance;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.GovernanceComponents;

public class TeamsPageTests : GovernanceTestContext
{
    private IRenderedComponent<Teams> Open(string user, bool signedIn = false) =>
        Render<Teams>(p =>
        {
            p.AddCascadingValue(Viewing(user));
            if (signedIn) p.AddCascadingValue(SignedIn(user));
        });

    [Fact]
    public void An_admin_sees_every_team_with_its_members_and_can_create_teams()
    {
        var cut = Open("admin");

        Assert.NotNull(cut.Find("[data-testid=create-team]"));
        Assert.Equal(3, cut.FindAll("[data-testid^=team-]").Count(e => e.GetAttribute("data-testid")!.StartsWith("team-", StringComparison.Ordinal)));
        Assert.Contains("lead", cut.Find("[data-testid=member-growth-analytics-dana]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=add-member-operations]"));
    }

    [Fact]
    public void A_data_scientist_sees_only_her_teams_and_manages_only_the_one_she_leads()
    {
        var cut = Open("dana");

        Assert.Empty(cut.FindAll("[data-testid=create-team]"));
        Assert.Empty(cut.FindAll("[data-testid=team-operations]"));
        Assert.NotNull(cut.Find("[data-testid=add-member-growth-analytics]"));
        Assert.Empty(cut.FindAll("[data-testid=add-member-payments-risk]"));
        Assert.Empty(cut.FindAll("[data-testid^=remove-payments-risk]"));
    }

    [Fact]
    public void An_auditor_sees_every_team_and_no_way_to_change_one()
    {
        var cut = Open("alice");

        Assert.NotNull(cut.Find("[data-testid=team-operations]"));
        Assert.Empty(cut.FindAll("[data-testid^=add-member-]"));
        Assert.Empty(cut.FindAll("[data-testid=create-team]"));
    }

    [Fact]
    public void A_user_in_no_team_is_told_how_to_join_one()
    {
        var cut = Open("eve");

        Assert.Contains("You are not a member of any team", cut.Find("[data-testid=teams-empty]").TextContent);
    }

    [Fact]
    public void An_admin_creates_a_team_and_the_creation_is_audited_like_the_api()
    {
        var cut = Open("admin");

        cut.Field("new-team-id").Change("fraud-ops");
        cut.Field("new-team-name").Change("Fraud operations");
        cut.Find("[data-testid=create-team-button]").Click();

        Assert.NotNull(cut.Find("[data-testid=team-fraud-ops]"));
        Assert.Contains("created", cut.Find("[data-testid=action-done]").TextContent);
        Assert.Equal(1, Entries(AuditActions.TeamCreated));
    }

    [Fact]
    public void A_lead_adds_a_member_and_an_unknown_user_shows_the_engines_message()
    {
        var cut = Open("dana", signedIn: true);

        cut.Field("add-username-growth-analytics").Change("nobody");
        cut.Find("[data-testid=add-button-growth-analytics]").Click();
        Assert.Contains("There is no user 'nobody'", cut.Find("[data-testid=action-problem]").TextContent);

        cut.Field("add-username-growth-analytics").Change("omar");
        cut.Find("[data-testid=add-button-growth-analytics]").Click();
        Assert.NotNull(cut.Find("[data-testid=member-growth-analytics-omar]"));
        Assert.Equal(1, Entries(AuditActions.MemberAdded));
    }

    [Fact]
    public void A_lead_demoted_after_the_page_loaded_is_refused_by_the_engine()
    {
        var cut = Open("dana", signedIn: true);
        Services.GetRequiredService<MembershipStore>().AddOrChange("growth-analytics", "dana", "member", As("admin").Caller);

        cut.Find("[data-testid=remove-growth-analytics-dana]").Click();

        Assert.Contains("Only an admin or a lead of team 'growth-analytics'", cut.Find("[data-testid=action-problem]").TextContent);
        Assert.Equal(0, Entries(AuditActions.MemberRemoved));
    }
}
