using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 13: the search box finds features, versions and teams, not only model names.</summary>
public class ModelSearchTests
{
    private static ModelDefinition Model(string id, string team, string[] features, params string[] versions) =>
        new(id.Length, id, id.Replace('-', ' '), ModelTask.BinaryClassification, team,
            features.Select(f => new FeatureSpec(f, FeatureType.Numerical)).ToList(), 0.5, null, null, DateTimeOffset.UnixEpoch,
            versions.Select((v, i) => (v, (long)i)).ToDictionary(x => x.v, x => x.Item2));

    private static readonly ModelDefinition[] Fleet =
    [
        Model("fraud-detector", "payments-risk", ["amount", "country", "hour_of_day"], "1.0.0", "1.1.0"),
        Model("churn-predictor", "growth-analytics", ["tenure_months", "plan"], "2.0.0"),
        Model("refund-amount", "payments-risk", ["amount_refunded"], "0.9.0"),
    ];

    [Fact]
    public void Typing_a_feature_name_finds_every_visible_model_that_has_it_after_models_named_so()
    {
        var hits = ModelSearch.Find(Fleet, "amount");

        Assert.Equal(
            [("refund-amount", SearchMatch.Model, null), ("fraud-detector", SearchMatch.Feature, "amount"), ("refund-amount", SearchMatch.Feature, "amount_refunded")],
            hits.Select(h => (h.Model.Id, h.Match, h.Value)));
        Assert.Equal("feature amount", hits[1].Why);
        Assert.Equal("models/fraud-detector?tab=drift&feature=amount", hits[1].Href(SummaryWindow.OneHour));
        Assert.Equal("models/fraud-detector?window=24h&tab=drift&feature=amount", hits[1].Href(SummaryWindow.OneDay));
    }

    [Fact]
    public void A_team_lists_its_models_once_and_a_version_filters_the_page_to_it()
    {
        var team = ModelSearch.Find(Fleet, "PAYMENTS");
        var version = ModelSearch.Find(Fleet, "1.1");

        Assert.Equal(["fraud-detector", "refund-amount"], team.Select(h => h.Model.Id).Order());
        Assert.All(team, h => Assert.Equal("team payments-risk", h.Why));
        var hit = Assert.Single(version);
        Assert.Equal((SearchMatch.Version, "1.1.0"), (hit.Match, hit.Value));
        Assert.Equal("models/fraud-detector?version=1.1.0", hit.Href(SummaryWindow.OneHour));
    }

    [Fact]
    public void An_empty_box_lists_the_models_and_nothing_matching_lists_nothing_and_results_are_capped()
    {
        var many = Enumerable.Range(0, 50).Select(i => Model($"m-{i}", "t", ["x"], "1.0.0")).ToArray();

        Assert.Equal(3, ModelSearch.Find(Fleet, "  ").Count);
        Assert.Empty(ModelSearch.Find(Fleet, "no-such-thing"));
        Assert.Equal(ModelSearch.MaxHits, ModelSearch.Find(many, "x").Count);
        Assert.Equal("models/a%2Fb", new SearchHit(Model("a/b", "t", []), SearchMatch.Model).Href(SummaryWindow.OneHour));
    }
}
