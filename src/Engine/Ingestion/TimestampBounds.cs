namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// The span of event times ingestion accepts: not further in the future than the allowed clock skew, not older than
/// the raw retention (an older event would be pruned at once, and a cost dated 9999 would inflate the month forever).
/// </summary>
public readonly record struct TimestampBounds(DateTimeOffset Earliest, DateTimeOffset Latest, int SkewMinutes, int AgeDays)
{
    public static readonly TimestampBounds Unbounded = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, int.MaxValue, int.MaxValue);

    public static TimestampBounds Around(DateTimeOffset now, IngestionOptions options, int rawEventDays)
    {
        var days = options.MaxAgeDays ?? rawEventDays;
        return new(now.AddDays(-days), now.AddMinutes(options.MaxFutureSkewMinutes), options.MaxFutureSkewMinutes, days);
    }

    /// <summary>Null when the time is accepted, else the reason, naming the limit and how to change it.</summary>
    public string? Check(DateTimeOffset timestamp)
    {
        if (timestamp > Latest)
            return $"is {timestamp:O}, more than {SkewMinutes} minutes ahead of the server clock (latest accepted {Latest:O}); fix the sender's clock (limit: Portal:Ingestion:MaxFutureSkewMinutes).";
        if (timestamp < Earliest)
            return $"is {timestamp:O}, older than {AgeDays} days (oldest accepted {Earliest:O}); older events fall outside raw retention (limit: Portal:Ingestion:MaxAgeDays, by default Portal:Retention:RawEventDays).";
        return null;
    }
}
