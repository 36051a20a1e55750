namespace ModelWatch.Engine.Statistics.Quality;

/// <summary>
/// Data-quality counts for one feature over a bucket or window, as the ingestion path records them. Type errors
/// include NaN and ±Infinity. Counts add, so windows merge from buckets.
/// </summary>
public sealed record DataQualityCounts(
    long Rows, long Missing, long TypeErrors, long OutOfBounds, long UnknownCategory, long Undeclared)
{
    public static DataQualityCounts Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static DataQualityCounts operator +(DataQualityCounts a, DataQualityCounts b) => new(
        a.Rows + b.Rows,
        a.Missing + b.Missing,
        a.TypeErrors + b.TypeErrors,
        a.OutOfBounds + b.OutOfBounds,
        a.UnknownCategory + b.UnknownCategory,
        a.Undeclared + b.Undeclared);

    public DataQualityRates ToRates() => DataQualityRates.From(this);
}

/// <summary>Shares of rows with each problem; null (with a reason), never NaN, when there are no rows.</summary>
public sealed record DataQualityRates(
    long Rows,
    double? MissingRate,
    double? TypeErrorRate,
    double? OutOfBoundsRate,
    double? UnknownCategoryRate,
    long UndeclaredCount,
    double? UndeclaredRate,
    string? Reason)
{
    public static DataQualityRates From(DataQualityCounts counts)
    {
        if (counts.Rows <= 0)
        {
            return new DataQualityRates(0, null, null, null, null, counts.Undeclared, null, "There are no rows in this window.");
        }

        double rows = counts.Rows;
        return new DataQualityRates(
            counts.Rows,
            counts.Missing / rows,
            counts.TypeErrors / rows,
            counts.OutOfBounds / rows,
            counts.UnknownCategory / rows,
            counts.Undeclared,
            counts.Undeclared / rows,
            null);
    }
}
