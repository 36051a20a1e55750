using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Panels;
using ModelWatch.Portal.Components.Pages;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

public class DriftTableTests : UiTestContext
{
    private IRenderedComponent<DriftTable> RenderTable(Action<string>? onSelect = null) =>
        Render<DriftTable>(p => p
            .Add(x => x.Features, SampleData.Summary().Drift.Features)
            .Add(x => x.OnSelect, onSelect ?? (_ => { })));

    private static string[] FeatureOrder(IRenderedComponent<DriftTable> cut) =>
        cut.FindAll("tbody tr").Select(r => r.GetAttribute("data-testid")!["drift-row-".Length..]).ToArray();

    [Fact]
    public void Rows_start_in_the_default_order_most_drifted_first()
    {
        var cut = RenderTable();

        var expected = DriftRows.DefaultOrder(SampleData.Summary().Drift.Features).Select(f => f.Feature).ToArray();
        Assert.Equal(expected, FeatureOrder(cut));
        Assert.Equal("amount", FeatureOrder(cut)[0]);
    }

    [Fact]
    public void A_header_click_sorts_ascending_then_descending_then_back_to_the_default()
    {
        var cut = RenderTable();
        var byName = SampleData.Summary().Drift.Features.Select(f => f.Feature).Order(StringComparer.Ordinal).ToArray();

        cut.Find("[data-testid=drift-sort-feature]").Click();
        Assert.Equal(byName, FeatureOrder(cut));
        Assert.Equal("ascending", cut.Find("th[aria-sort]").GetAttribute("aria-sort"));

        cut.Find("[data-testid=drift-sort-feature]").Click();
        Assert.Equal(byName.Reverse().ToArray(), FeatureOrder(cut));
        Assert.Equal("descending", cut.Find("th[aria-sort]").GetAttribute("aria-sort"));

        cut.Find("[data-testid=drift-sort-feature]").Click();
        Assert.Equal("amount", FeatureOrder(cut)[0]);
        Assert.Empty(cut.FindAll("th[aria-sort]"));
    }

    [Fact]
    public void A_row_click_and_the_enter_key_select_the_feature()
    {
        var chosen = new List<string>();
        var cut = RenderTable(chosen.Add);

        cut.Find("[data-testid=drift-row-hour]").Click();
        cut.Find("[data-testid=drift-row-amount]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal(["hour", "amount"], chosen);
    }

    [Fact]
    public void Missing_values_sort_below_every_number_in_both_directions()
    {
        var features = SampleData.Summary().Drift.Features;
        var withMissing = features.Append(features[0] with { Feature = "zz-missing", Value = null, Drifted = false }).ToList();

        var ascending = DriftRows.Sorted(withMissing, new DriftSort(DriftSortColumn.Value, false));
        var descending = DriftRows.Sorted(withMissing, new DriftSort(DriftSortColumn.Value, true));

        Assert.Equal("zz-missing", ascending[^1].Feature);
        Assert.Equal("zz-missing", descending[^1].Feature);
        Assert.True(ascending[0].Value <= ascending[1].Value);
        Assert.True(descending[0].Value >= descending[1].Value);
    }
}

public class DriftFeatureInUrlTests : UiTestContext
{
    public DriftFeatureInUrlTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline();
    }

    private IRenderedComponent<ModelPage> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/fraud-detector{query}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Dana));
    }

    [Fact]
    public void The_feature_in_the_url_is_the_one_whose_distribution_is_shown()
    {
        var cut = Open("?feature=hour");

        Assert.Contains("hour: reference vs current", cut.Markup);
        Assert.Equal("true", cut.Find("[data-testid=drift-row-hour]").GetAttribute("aria-selected"));
    }

    [Fact]
    public void Clicking_a_feature_writes_it_into_the_url_keeping_the_rest()
    {
        var cut = Open("?window=24h&tab=drift");

        cut.Find("[data-testid=drift-row-hour]").Click();

        var uri = Services.GetRequiredService<NavigationManager>().Uri;
        Assert.Contains("feature=hour", uri);
        Assert.Contains("window=24h", uri);
        cut.WaitForAssertion(() => Assert.Contains("hour: reference vs current", cut.Markup));
    }

    [Fact]
    public void An_unknown_feature_in_the_url_falls_back_to_the_most_drifted_one()
    {
        var cut = Open("?feature=no-such-feature");

        Assert.Contains("amount: reference vs current", cut.Markup);
    }
}
