using Bunit;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.Pages.Alerting;
using ModelWatch.Portal.Tests.GovernanceComponents;

namespace ModelWatch.Portal.Tests.AlertingComponents;

public class SilencesPageTests : AlertingTestContext
{
    private IRenderedComponent<Silences> Open(string user, string query = "")
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("silences" + query);
        return Render<Silences>(p => p.AddCascadingValue(Viewing(user)));
    }

    [Fact]
    public void A_silence_from_an_inbox_link_is_prefilled_and_added_for_the_team()
    {
        var cut = Open("omar", "?model=demand-forecast&alertname=cost%20jump");
        Assert.Equal("demand-forecast", cut.Field("matcher-value-0").GetAttribute("value"));
        Assert.Equal("cost jump", cut.Field("matcher-value-1").GetAttribute("value"));

        cut.Field("silence-comment").Change("planned re-indexing tonight");
        cut.Find("[data-testid=silence-add]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=silences-active] [data-testid^=silence-sil_]")));
        var row = cut.Find("[data-testid=silences-active] [data-testid^=silence-sil_]");
        Assert.Contains("model=\"demand-forecast\"", row.TextContent);
        Assert.Contains("planned re-indexing tonight", row.TextContent);
        Assert.Contains("for team operations", row.TextContent);
        Assert.Equal(1, Entries(AlertAuditActions.SilenceAdded));
    }

    [Fact]
    public void A_silence_without_a_comment_is_refused_with_the_field_named()
    {
        var cut = Open("omar", "?model=demand-forecast");

        cut.Find("[data-testid=silence-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("'comment' is required", cut.Markup));
        Assert.Empty(Silences.Recent());
    }

    [Fact]
    public void A_member_may_not_silence_another_teams_model()
    {
        var cut = Open("dana", "?model=demand-forecast");

        cut.Field("silence-comment").Change("quiet please");
        cut.Find("[data-testid=silence-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("only admins may silence other teams", cut.Find("[data-testid=action-problem]").TextContent));
        Assert.Empty(Silences.Recent());
    }

    [Fact]
    public void Expiring_moves_a_silence_to_ended()
    {
        var added = Silences.Add(new SilenceSpec([new("model", "=", "demand-forecast")], null, Clock.GetUtcNow().AddHours(2), "deploy"), As("omar").Caller);
        var cut = Open("omar");

        cut.Find($"[data-testid=silence-{added.Value!.Id}] [data-testid=silence-expire]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=silences-ended] [data-testid=silence-{added.Value.Id}]")));
        Assert.Empty(cut.FindAll("[data-testid=silences-active] [data-testid^=silence-sil_]"));
        Assert.Contains("expired by omar", cut.Find($"[data-testid=silence-{added.Value.Id}]").TextContent);
    }
}
