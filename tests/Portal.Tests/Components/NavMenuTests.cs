using Bunit;
using ModelWatch.Portal.Components.Layout;

namespace ModelWatch.Portal.Tests.Components;

public class NavMenuTests : UiTestContext
{
    private IRenderedComponent<NavMenu> RenderMenu(bool showAudit, string path = "") =>
        Render<NavMenu>(p => p.Add(x => x.Models, []).Add(x => x.ShowAudit, showAudit).Add(x => x.CurrentPath, path));

    [Fact]
    public void The_audit_link_is_only_offered_to_those_who_may_read_the_log()
    {
        Assert.NotNull(RenderMenu(showAudit: true).Find("[data-testid=nav-audit]"));
        Assert.Empty(RenderMenu(showAudit: false).FindAll("[data-testid=nav-audit]"));
    }

    [Fact]
    public void The_open_model_is_marked_active_in_the_drawer()
    {
        Catalog.Add("fraud-detector", "payments-risk");
        Catalog.Add("churn-predictor", "growth-analytics");

        var cut = Render<NavMenu>(p => p.Add(x => x.Models, Catalog.Models).Add(x => x.CurrentModelId, "fraud-detector").Add(x => x.CurrentPath, "models/fraud-detector"));

        Assert.Contains("active", cut.Find("[data-testid=nav-model-fraud-detector]").ClassList);
        Assert.DoesNotContain("active", cut.Find("[data-testid=nav-model-churn-predictor]").ClassList);
        Assert.DoesNotContain("active", cut.Find("[data-testid=nav-fleet]").ClassList);
    }

    [Fact]
    public void The_link_of_the_current_section_is_marked_active()
    {
        var cut = RenderMenu(showAudit: true, path: "registry/fraud-detector");

        Assert.Contains("active", cut.Find("[data-testid=nav-registry]").ClassList);
        Assert.Equal("page", cut.Find("[data-testid=nav-registry]").GetAttribute("aria-current"));
        Assert.DoesNotContain("active", cut.Find("[data-testid=nav-fleet]").ClassList);
        Assert.Contains("No models visible to you.", cut.Markup);
    }
}
