using Bunit;
using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Components.Pages;
using ModelWatch.Portal.Components.ViewModels;
using ModelWatch.Portal.Tests.Components;
using System.Text.Json;

namespace ModelWatch.Portal.Tests.AlertingComponents;

/// <summary>What alerting adds to the model page: the header badge, the Alerts tab link, and alert spans shaded on its time charts.</summary>
public class ModelPageAlertTests : UiTestContext
{
    public ModelPageAlertTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline(points: 30);
    }

    private IRenderedComponent<ModelPage> Open(Viewer viewer, string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/fraud-detector{query}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(viewer));
    }

    /// <summary>Every shape of every chart drawn, read back from the JSON the page sent to Plotly.</summary>
    private static List<JsonElement> Shapes(BunitJSModuleInterop module) =>
        module.Invocations.Where(i => i.Identifier == "draw")
            .Select(i => JsonDocument.Parse((string)i.Arguments[1]!).RootElement.GetProperty("layout"))
            .SelectMany(l => l.TryGetProperty("shapes", out var shapes) ? shapes.EnumerateArray().Select(s => s.Clone()) : [])
            .ToList();

    private static string? Text(JsonElement shape) =>
        shape.TryGetProperty("label", out var label) && label.TryGetProperty("text", out var text) ? text.GetString() : null;

    [Fact]
    public void The_header_shows_firing_alerts_with_the_worst_severity_and_links_to_the_alerts_tab()
    {
        Firing.ByModel["fraud-detector"] = new FiringSummary(3, "critical", new Dictionary<string, int> { ["critical"] = 1, ["warning"] = 2 });

        var cut = Open(Omar);

        var badge = cut.Find("[data-testid=firing-badge]");
        Assert.Contains("3 firing", badge.TextContent);
        Assert.Equal("critical", badge.GetAttribute("data-severity"));
        Assert.Contains("tab=alerts", badge.GetAttribute("href"));
        Assert.NotNull(cut.Find("[data-testid=tab-alerts]"));
    }

    [Fact]
    public void Time_charts_shade_the_spans_in_which_an_alert_fired()
    {
        var module = JSInterop.SetupModule(PlotlyModule);
        Firing.SpansOfAll.Add(new AlertSpan(SampleData.Now.AddMinutes(-12), SampleData.Now.AddMinutes(-4), "critical", "fraud p95 over SLO"));

        Open(Omar); // opens on latency: its percentile chart is a time chart

        var shaded = Shapes(module).Where(s => Text(s) == "alert: fraud p95 over SLO").ToList();
        Assert.NotEmpty(shaded);
        Assert.StartsWith("2026-03-02 11:48:00", shaded[0].GetProperty("x0").GetString());
        Assert.StartsWith("2026-03-02 11:56:00", shaded[0].GetProperty("x1").GetString());
    }

    [Fact]
    public void Without_alerts_the_charts_have_no_alert_shading()
    {
        var module = JSInterop.SetupModule(PlotlyModule);

        Open(Omar);

        Assert.Contains(module.Invocations, i => i.Identifier == "draw");
        Assert.DoesNotContain(Shapes(module), s => Text(s)?.StartsWith("alert:", StringComparison.Ordinal) == true);
        Assert.Empty(Open(Omar).FindAll("[data-testid=firing-badge]"));
    }
}
