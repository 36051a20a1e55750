using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Retention;

/// <summary>How long each kind of row is kept. Bound from Portal:Retention.</summary>
public sealed class RetentionOptions
{
    /// <summary>Predictions, labels, operational samples and cost records; also the window for idempotent retries.</summary>
    [Range(1, 36_500)]
    public int RawEventDays { get; set; } = 14;

    /// <summary>Labels still waiting for their prediction; when dropped they are counted as "too late".</summary>
    [Range(1, 36_500)]
    public int UnmatchedLabelDays { get; set; } = 7;

    [Range(1, 36_500)]
    public int MinuteDays { get; set; } = 2;

    [Range(1, 36_500)]
    public int HourDays { get; set; } = 90;

    [Range(1, 36_500)]
    public int DayDays { get; set; } = 730;

    /// <summary>Rows deleted per writer command: small (half an ingest batch of 1,000), so a commit that carries one is not much slower.</summary>
    [Range(10, 1_000_000)]
    public int BatchRows { get; set; } = 500;

    /// <summary>How often the pruner looks for expired rows.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 600;
}
