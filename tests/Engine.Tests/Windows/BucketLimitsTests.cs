using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class BucketLimitsTests
{
    [Fact]
    public async Task Distinct_categories_beyond_the_cap_are_one_other_category_in_the_drift_table()
    {
        await using var h = await WindowHarness.StartAsync();
        h.Buckets.Limits = new BucketLimits(MaxCategoriesPerFeature: 5);
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Enumerable.Range(0, 300).Select(i => ((double)i, i % 2 == 0 ? "DE" : "FR", (object)0.5, (object?)null)));
        await h.PredictAsync(model, Enumerable.Range(0, 60).Select(i => new Prediction("p" + i, i, "c" + i, 0.5)));

        var country = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Features.Single(f => f.Feature == "country");

        Assert.Equal(6, country.Distribution!.Labels.Count); // five named plus "(other)"
        Assert.Contains("(other)", country.Distribution.Labels);
        Assert.Equal(60, country.CurrentSize);
        Assert.True(country.Drifted);
        Assert.True(country.Approximate);
    }
}
