using Bunit;
using ModelWatch.Portal.Components.Alerting;

namespace ModelWatch.Portal.Tests.AlertingComponents;

public class FiringBadgeTests : AlertingTestContext
{
    [Fact]
    public void The_badge_counts_firing_alerts_in_the_colour_of_the_worst()
    {
        Alert("fraud-detector", "payments-risk", "latency", severity: "warning", rule: "a");
        Alert("fraud-detector", "payments-risk", "errorRate", severity: "critical", rule: "b");
        Alert("fraud-detector", "payments-risk", "cost", severity: "info", rule: "c", status: Engine.Alerting.AlertRecord.Pending);

        var cut = Render<FiringBadge>(p => p.Add(c => c.ModelId, "fraud-detector").Add(c => c.Href, "models/fraud-detector?tab=alerts"));

        var badge = cut.Find("[data-testid=firing-badge]");
        Assert.Contains("2 firing", badge.TextContent);
        Assert.Equal("critical", badge.GetAttribute("data-severity"));
        Assert.Equal("models/fraud-detector?tab=alerts", badge.GetAttribute("href"));
    }

    [Fact]
    public void A_model_with_nothing_firing_has_no_badge()
    {
        Alert("fraud-detector", "payments-risk", "latency", status: Engine.Alerting.AlertRecord.Resolved);

        var cut = Render<FiringBadge>(p => p.Add(c => c.ModelId, "fraud-detector"));

        Assert.Empty(cut.FindAll("[data-testid=firing-badge]"));
    }
}
