namespace ModelWatch.Engine.Statistics.Cost;

/// <summary>
/// Spend for a window and for the month so far. Money is decimal; calendar months are UTC. Figures that cannot be
/// given (no predictions, no budget) are null, and <see cref="Notes"/> says why.
/// </summary>
public sealed record CostSummary(
    decimal WindowCost,
    long WindowPredictions,
    decimal? CostPerThousandPredictions,
    decimal MonthToDate,
    decimal? MonthlyBudget,
    decimal? BudgetUsedShare,
    decimal? ProjectedMonthEnd,
    bool? ProjectedOverBudget,
    IReadOnlyList<string> Notes,
    decimal? RunRatePerDay = null,
    decimal? ProjectedFromMonthAverage = null,
    string? ProjectionNote = null);

/// <summary>Spend over a recent span (the part of the run-rate window that had spending).</summary>
public sealed record RecentSpend(decimal AmountUsd, TimeSpan Span);

public static class CostProjection
{
    public static readonly TimeSpan MinimumHistory = TimeSpan.FromMinutes(15);

    public static CostSummary Summarise(
        decimal windowCost, long windowPredictions, decimal monthToDate, decimal? monthlyBudget, TimeProvider time) =>
        Summarise(windowCost, windowPredictions, monthToDate, monthlyBudget, time.GetUtcNow());

    /// <summary>
    /// Projects spend to the end of the month of <paramref name="now"/>. With <paramref name="recent"/> the projection is
    /// month to date plus the recent run-rate carried to the month's end, so a cost jump shows at once; the month-to-date
    /// average projection (monthToDate × month length / time elapsed) is kept next to it.
    /// </summary>
    /// <param name="spendingSince">
    /// When this month's spending started, if after the 1st (a model deployed mid-month): the run rate is measured from
    /// then, so a new model's projection is not diluted by days it did not exist.
    /// </param>
    public static CostSummary Summarise(
        decimal windowCost, long windowPredictions, decimal monthToDate, decimal? monthlyBudget, DateTimeOffset now, DateTimeOffset? spendingSince = null, RecentSpend? recent = null)
    {
        var notes = new List<string>();
        decimal? perThousand = windowPredictions > 0 ? windowCost * 1000m / windowPredictions : null;
        if (perThousand is null) notes.Add("No predictions in this window, so there is no cost per 1,000.");

        var utc = now.ToUniversalTime();
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var monthEnd = monthStart.AddMonths(1);
        var from = spendingSince is { } since && since > monthStart && since <= utc ? since : monthStart;
        var elapsed = (utc - from).Ticks;
        // Month to date plus the run rate since spending began, carried on to the month's end.
        // A run rate from a few minutes of spending swings wildly; wait for a quarter of an hour of history.
        decimal? fromAverage = elapsed >= MinimumHistory.Ticks ? monthToDate + monthToDate * ((decimal)(monthEnd - utc).Ticks / elapsed) : null;
        decimal? runRatePerDay = recent is { } r && r.Span >= MinimumHistory ? r.AmountUsd * (decimal)(TimeSpan.TicksPerDay / (double)r.Span.Ticks) : null;
        decimal? projected = runRatePerDay is { } perDay ? monthToDate + perDay * (decimal)((monthEnd - utc).Ticks / (double)TimeSpan.TicksPerDay) : recent is null ? fromAverage : null;
        string? projectionNote = null;
        if (projected is null)
        {
            var have = recent?.Span ?? TimeSpan.FromTicks(Math.Max(0, elapsed));
            var toGo = Math.Max(1, (int)Math.Ceiling((MinimumHistory - have).TotalMinutes));
            projectionNote = have <= TimeSpan.Zero || (recent is not null && recent.AmountUsd == 0 && monthToDate == 0)
                ? "No spending yet: the projection starts after " + $"{MinimumHistory.TotalMinutes:0} minutes of it."
                : $"Projection starts after {MinimumHistory.TotalMinutes:0} minutes of spending ({toGo} min to go).";
            notes.Add(projectionNote);
        }

        decimal? used = null;
        bool? over = null;
        if (monthlyBudget is not { } budget || budget <= 0)
        {
            notes.Add("No monthly budget is set for this model.");
        }
        else
        {
            used = monthToDate / budget;
            over = projected > budget;
        }

        return new CostSummary(windowCost, windowPredictions, perThousand, monthToDate, monthlyBudget, used, projected, over, notes,
            runRatePerDay, fromAverage, projectionNote);
    }
}
