using System.Text.Json;
using Bunit;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.Panels;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 8: the features × time drift heatmap on the Drift tab.</summary>
public class DriftHeatmapTests : UiTestContext
{
    private static TimelinePoint Step(int minute, double? amount, double? hour, bool partial = false) =>
        SampleData.Point(SampleData.Now.AddMinutes(minute)) with
        {
            FeatureDrift = new Dictionary<string, double?> { ["amount"] = amount, ["hour"] = hour },
            Partial = partial,
        };

    private static readonly FeatureDrift[] Features =
    [
        SampleData.Feature("hour", 0.02, drifted: false, method: "ks"),
        SampleData.Feature("amount", 0.43, drifted: true),
    ];

    [Fact]
    public void Cells_are_multiples_of_each_features_threshold_oriented_so_that_one_is_the_drift_line()
    {
        // amount: normalised Wasserstein against 0.1; hour: a KS p-value against 0.1 (drift below it).
        Assert.Equal(0.5, DriftHeatmap.Score("wassersteinNormalized", 0.05, 0.1)!.Value, 9);
        Assert.Equal(1.5, DriftHeatmap.Score("wassersteinNormalized", 0.15, 0.1)!.Value, 9);
        Assert.Equal(DriftHeatmap.MaxScore, DriftHeatmap.Score("wassersteinNormalized", 7, 0.1));
        Assert.Equal(0.2, DriftHeatmap.Score("ks", 0.5, 0.1)!.Value, 9);
        Assert.Equal(2.0, DriftHeatmap.Score("ks", 0.05, 0.1)!.Value, 9);
        Assert.Equal(DriftHeatmap.MaxScore, DriftHeatmap.Score("chiSquare", 0, 0.1));
        Assert.Null(DriftHeatmap.Score("ks", null, 0.1));
    }

    [Fact]
    public void Rows_follow_the_drift_table_gaps_stay_gaps_and_neither_the_time_before_history_nor_the_filling_step_is_drawn()
    {
        var view = DriftHeatmap.From(
            [Step(0, null, null), Step(1, 0.05, 0.5), Step(2, null, 0.2), Step(3, 0.3, 0.01), Step(4, 0.9, 0.001, partial: true)], Features);

        Assert.Equal(["amount", "hour"], view.Features); // drifted first, as in the table
        Assert.Equal([SampleData.Now.AddMinutes(1), SampleData.Now.AddMinutes(2), SampleData.Now.AddMinutes(3)], view.Times);
        Assert.Equal([0.5, null, 2.0], view.Scores[0].Select(s => s is { } v ? Math.Round(v, 9) : (double?)null));
        Assert.Contains("no data", view.Hover[0][1], StringComparison.Ordinal);
        Assert.Contains("p-value 0.0100 (threshold 0.10), drifted", view.Hover[1][2], StringComparison.Ordinal);
        Assert.Contains("\"12:01\"", System.Text.Json.JsonSerializer.Serialize(((Plotly.Blazor.Traces.HeatMap)view.Traces()[0]).X), StringComparison.Ordinal);
    }

    [Fact]
    public void The_drift_panel_draws_the_heatmap_and_a_click_on_a_cell_opens_that_feature_with_the_step_marked()
    {
        var module = JSInterop.SetupModule(PlotlyModule);
        string? selected = null;
        var cut = Render<DriftPanel>(p => p
            .Add(x => x.Summary, SampleData.Summary())
            .Add(x => x.Timeline, new TimelineBuffer([Step(-2, 0.05, 0.5), Step(-1, 0.3, 0.01), Step(0, 0.3, 0.01, partial: true)]))
            .Add(x => x.SelectedFeatureChanged, (string f) => selected = f));

        cut.WaitForAssertion(() => Assert.Contains(module.Invocations, i => i.Identifier == "draw" && ((string)i.Arguments[1]!).Contains("\"heatmap\"", StringComparison.Ordinal)));
        var draw = module.Invocations.Last(i => i.Identifier == "draw" && ((string)i.Arguments[1]!).Contains("\"heatmap\"", StringComparison.Ordinal));
        using var spec = JsonDocument.Parse((string)draw.Arguments[1]!);
        var trace = spec.RootElement.GetProperty("data")[0];
        Assert.Equal(2, trace.GetProperty("x").GetArrayLength()); // the filling step is not drawn
        Assert.Contains(module.Invocations, i => i.Identifier == "listenForCells");

        var heatmap = cut.FindComponent<DriftHeatmapChart>();
        cut.InvokeAsync(() => heatmap.Instance.CellClicked(row: 2, column: 1)); // rows as in the drift table: amount, merchant_age, hour

        cut.WaitForAssertion(() => Assert.Equal("hour", selected));
        cut.WaitForAssertion(() => Assert.Contains(module.Invocations, i => i.Identifier == "draw" && ((string)i.Arguments[1]!).Contains("selected step", StringComparison.Ordinal)));
    }

    [Fact]
    public void Before_any_step_completes_the_heatmap_says_so_instead_of_drawing_an_empty_grid()
    {
        JSInterop.SetupModule(PlotlyModule);
        var cut = Render<DriftHeatmapChart>(p => p
            .Add(x => x.Timeline, new TimelineBuffer([Step(0, 0.3, 0.01, partial: true)]))
            .Add(x => x.Features, Features));

        Assert.Contains("No completed steps yet", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=drift-heatmap]"));
    }
}
