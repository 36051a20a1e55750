using System.Text.Json;
using Bunit;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Fleet;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 7: fleet cards name the drifting features, link to them, and sparklines carry their threshold and a hover value.</summary>
public class FleetCardDrillDownTests : UiTestContext
{
    private static readonly ModelDefinition Model = new(1, "fraud-detector", "Fraud detector", ModelTask.BinaryClassification, "payments-risk", [], 0.5, 200, 500,
        DateTimeOffset.UnixEpoch, new Dictionary<string, long> { ["1.0.0"] = 1 });

    private IRenderedComponent<FleetCard> Card(ViewKind view) => Render<FleetCard>(p => p
        .Add(x => x.Card, FleetCards.From(Model, SampleData.Summary(), view))
        .Add(x => x.Timeline, new TimelineBuffer(SampleData.Timeline().Points))
        .Add(x => x.View, view)
        .Add(x => x.Window, Engine.Windows.SummaryWindow.OneDay)
        .Add(x => x.Now, SampleData.Now));

    [Fact]
    public void A_card_names_its_drifted_features_most_drifted_first_each_opening_the_drift_tab_on_it()
    {
        var cut = Card(ViewKind.Quality);

        var links = cut.FindAll("[data-testid=drifted-features] a");
        Assert.Equal(["amount", "merchant_age"], links.Select(a => a.TextContent));
        Assert.Equal("models/fraud-detector?window=24h&tab=drift&feature=amount", links[0].GetAttribute("href"));
        Assert.DoesNotContain("hour", cut.Find("[data-testid=drifted-features]").TextContent);
    }

    [Theory]
    [InlineData(ViewKind.Quality, "Dataset drift threshold", 0.5)]
    [InlineData(ViewKind.Operations, "SLO", 200.0)]
    public void The_sparkline_draws_the_line_it_is_judged_against_and_answers_hover(ViewKind view, string line, double value)
    {
        var module = JSInterop.SetupModule(PlotlyModule);

        var cut = Card(view);

        cut.WaitForAssertion(() => Assert.Contains(module.Invocations, i => i.Identifier == "draw"));
        using var spec = JsonDocument.Parse((string)module.Invocations.First(i => i.Identifier == "draw").Arguments[1]!);
        var threshold = spec.RootElement.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == line);
        Assert.All(threshold.GetProperty("y").EnumerateArray(), y => Assert.Equal(value, y.GetDouble()));
        Assert.NotEqual("false", spec.RootElement.GetProperty("layout").GetProperty("hovermode").ToString());
        Assert.False(spec.RootElement.GetProperty("config").TryGetProperty("staticPlot", out var s) && s.GetBoolean());
        Assert.Contains("dashed", cut.Find(".fleet-spark .fleet-spark-label").TextContent, StringComparison.Ordinal);
    }
}
