using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Pages;
using ModelWatch.Portal.Components.Shared;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 10: every time chart of the model page marks the model's changes, with what changed in the tooltip.</summary>
public class ChartAnnotationTests : UiTestContext
{
    public ChartAnnotationTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0", "1.1.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline();
    }

    private IRenderedComponent<ModelPage> Open(string tab)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/fraud-detector?tab={tab}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Omar));
    }

    private static IEnumerable<JsonDocument> Draws(BunitJSModuleInterop module) =>
        module.Invocations.Where(i => i.Identifier == "draw").Select(i => JsonDocument.Parse((string)i.Arguments[1]!));

    [Fact]
    public void A_promotion_in_the_window_is_a_dotted_line_and_a_marker_whose_tooltip_says_what_changed_on_every_time_chart()
    {
        var module = JSInterop.SetupModule(PlotlyModule);
        Annotations.Items.Add(new Annotation(SampleData.Now.AddMinutes(-2), ModelAnnotations.Kinds.Promotion, "Alias production → 1.1.0 (approved by user:admin)"));
        Annotations.Items.Add(new Annotation(SampleData.Now.AddDays(-3), ModelAnnotations.Kinds.Version, "outside the window"));

        var cut = Open("latency");
        var charts = cut.FindComponents<TimeChart>().Count;
        cut.WaitForAssertion(() => Assert.Equal(charts, Draws(module).Count()));

        foreach (var draw in Draws(module))
        {
            var markers = draw.RootElement.GetProperty("data").EnumerateArray().Single(t => t.TryGetProperty("name", out var n) && n.GetString() == "Changes");
            Assert.Equal(["Alias production → 1.1.0 (approved by user:admin)"], markers.GetProperty("hovertext").EnumerateArray().Select(t => t.GetString()));
            var lines = draw.RootElement.GetProperty("layout").GetProperty("shapes").EnumerateArray().Where(s => s.GetProperty("line").TryGetProperty("dash", out var d) && d.GetString() == "dot");
            Assert.Single(lines);
        }
    }

    [Fact]
    public void Without_changes_in_the_window_no_marker_trace_is_drawn()
    {
        var module = JSInterop.SetupModule(PlotlyModule);

        var cut = Open("cost");
        cut.WaitForAssertion(() => Assert.NotEmpty(Draws(module)));

        Assert.DoesNotContain(Draws(module), d => d.RootElement.GetProperty("data").EnumerateArray().Any(t => t.TryGetProperty("name", out var n) && n.GetString() == "Changes"));
    }
}
