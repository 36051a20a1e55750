using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Ingestion;

/// <summary>Limits of the ingestion path. Bound from Portal:Ingestion.</summary>
public sealed class IngestionOptions
{
    [Range(1, 1_000_000)]
    public int MaxEventsPerBatch { get; set; } = 10_000;

    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Batches waiting for the writer; beyond this senders get 429 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Group commit: the writer folds waiting batches into one transaction up to about this many rows.</summary>
    [Range(1, 1_000_000)]
    public int MaxRowsPerCommit { get; set; } = 50_000;

    [Range(1, 10_000_000)]
    public int MaxReferenceRows { get; set; } = 200_000;

    /// <summary>An event time further ahead of the server clock than this is refused (a sender's clock gone wrong).</summary>
    [Range(0, 7 * 24 * 60)]
    public int MaxFutureSkewMinutes { get; set; } = 5;

    /// <summary>Oldest accepted event time in days; unset means the raw-event retention (Portal:Retention:RawEventDays).</summary>
    [Range(1, 36_500)]
    public int? MaxAgeDays { get; set; }
}
