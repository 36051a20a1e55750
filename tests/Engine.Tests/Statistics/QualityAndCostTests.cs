using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Statistics.Cost;
using ModelWatch.Engine.Statistics.Quality;

namespace ModelWatch.Engine.Tests.Statistics;

public class QualityAndCostTests
{
    [Fact]
    public void Rates_are_shares_of_rows()
    {
        var rates = new DataQualityCounts(Rows: 200, Missing: 10, TypeErrors: 4, OutOfBounds: 2, UnknownCategory: 1, Undeclared: 50).ToRates();

        Assert.Equal(0.05, rates.MissingRate);
        Assert.Equal(0.02, rates.TypeErrorRate);
        Assert.Equal(0.01, rates.OutOfBoundsRate);
        Assert.Equal(0.005, rates.UnknownCategoryRate);
        Assert.Equal(50, rates.UndeclaredCount);
        Assert.Null(rates.Reason);
    }

    [Fact]
    public void No_rows_give_null_rates_not_NaN()
    {
        var rates = DataQualityCounts.Empty.ToRates();

        Assert.Null(rates.MissingRate);
        Assert.Null(rates.TypeErrorRate);
        Assert.NotNull(rates.Reason);
    }

    [Fact]
    public void Bucket_counts_add_up_to_window_counts()
    {
        var window = new DataQualityCounts(10, 1, 0, 0, 0, 0) + new DataQualityCounts(30, 3, 2, 1, 1, 4);

        Assert.Equal(new DataQualityCounts(40, 4, 2, 1, 1, 4), window);
        Assert.Equal(0.1, window.ToRates().MissingRate);
    }

    [Fact]
    public void Cost_is_projected_linearly_to_the_end_of_the_month()
    {
        // 10 days into a 30-day month: 10 days' spend times 3.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 11, 0, 0, 0, TimeSpan.Zero));

        var cost = CostProjection.Summarise(windowCost: 2.5m, windowPredictions: 5000, monthToDate: 100m, monthlyBudget: 250m, time);

        Assert.Equal(0.5m, cost.CostPerThousandPredictions);
        Assert.Equal(300m, cost.ProjectedMonthEnd);
        Assert.Equal(0.4m, cost.BudgetUsedShare);
        Assert.True(cost.ProjectedOverBudget);
        Assert.Empty(cost.Notes);
    }

    [Fact]
    public void A_model_that_started_spending_mid_month_is_projected_from_its_own_run_rate()
    {
        // Spending began on the 21st at noon; $10 in the 12 hours since is $20 a day for the 9 days left of June.
        var now = new DateTimeOffset(2025, 6, 22, 0, 0, 0, TimeSpan.Zero);

        var cost = CostProjection.Summarise(0m, 0, 10m, 500m, now, spendingSince: new DateTimeOffset(2025, 6, 21, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(10m + 20m * 9m, decimal.Round(cost.ProjectedMonthEnd!.Value, 6));
    }

    [Fact]
    public void A_few_minutes_of_spending_are_not_projected()
    {
        var now = new DateTimeOffset(2025, 6, 22, 0, 0, 0, TimeSpan.Zero);

        var cost = CostProjection.Summarise(0m, 0, 0.01m, 500m, now, spendingSince: now.AddMinutes(-3));

        Assert.Null(cost.ProjectedMonthEnd);
        Assert.Equal("Projection starts after 15 minutes of spending (12 min to go).", cost.ProjectionNote);
        Assert.Contains(cost.ProjectionNote, cost.Notes);
    }

    [Fact]
    public void Cost_without_predictions_budget_or_elapsed_time_says_why()
    {
        var cost = CostProjection.Summarise(0m, 0, 0m, null, new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Null(cost.CostPerThousandPredictions);
        Assert.Null(cost.ProjectedMonthEnd);
        Assert.Null(cost.BudgetUsedShare);
        Assert.Null(cost.ProjectedOverBudget);
        Assert.Equal(3, cost.Notes.Count);
    }

    [Fact]
    public void Months_are_taken_in_UTC()
    {
        // 1 July 01:00 at +02:00 is still 30 June in UTC: 29 days and 23 hours of a 30-day month.
        var now = new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.FromHours(2));

        var cost = CostProjection.Summarise(0m, 0, 719m, 1000m, now);

        Assert.Equal(720m, decimal.Round(cost.ProjectedMonthEnd!.Value, 6));
    }
}
