using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Pages;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 11: "compare versions" overlays each version's own line on the model page's charts.</summary>
public class VersionOverlayTests : UiTestContext
{
    public VersionOverlayTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.1.0", "1.0.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline() with { HistoryStart = SampleData.Now.AddMinutes(-5) };
    }

    private IRenderedComponent<ModelPage> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/fraud-detector{query}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Omar));
    }

    private static IEnumerable<string> TraceNames(BunitJSModuleInterop module) => module.Invocations.Where(i => i.Identifier == "draw")
        .SelectMany(i => JsonDocument.Parse((string)i.Arguments[1]!).RootElement.GetProperty("data").EnumerateArray())
        .Select(t => System.Net.WebUtility.HtmlDecode(t.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "")); // names reach Plotly HTML-escaped

    [Fact]
    public void Comparing_draws_each_versions_own_main_line_dotted_beside_the_models_lines()
    {
        var module = JSInterop.SetupModule(PlotlyModule);

        var cut = Open("?tab=latency&compare=versions");

        cut.WaitForAssertion(() => Assert.Contains("p95 · v1.1.0", TraceNames(module)));
        Assert.Contains("p95 · v1.0.0", TraceNames(module));
        Assert.Contains("Throughput · v1.1.0", TraceNames(module)); // the traffic chart's main line
        Assert.Equal("Stop comparing versions", cut.Find("[data-testid=compare-versions]").TextContent);
        Assert.DoesNotContain("compare=", cut.Find("[data-testid=compare-versions]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_compare_or_on_one_version_no_version_lines_are_drawn()
    {
        var module = JSInterop.SetupModule(PlotlyModule);

        var all = Open("?tab=latency");
        all.WaitForAssertion(() => Assert.NotEmpty(TraceNames(module)));
        Assert.DoesNotContain(TraceNames(module), n => n.Contains(" · v", StringComparison.Ordinal));
        Assert.Equal("Compare versions", all.Find("[data-testid=compare-versions]").TextContent);

        var one = Open("?tab=latency&version=1.0.0&compare=versions");
        Assert.Empty(one.FindAll("[data-testid=compare-versions]"));
    }
}
