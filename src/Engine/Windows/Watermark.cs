namespace ModelWatch.Engine.Windows;

/// <summary>
/// The highest raw row ids (label arrival sequence for labels) a set of aggregates covers. Everything at or below it
/// is in the stored blobs; everything above is replayed at start-up.
/// </summary>
public sealed record Watermark(long Predictions, long Labels, long Samples, long Costs)
{
    public static readonly Watermark Zero = new(0, 0, 0, 0);

    public Watermark Max(Watermark other) => new(Math.Max(Predictions, other.Predictions), Math.Max(Labels, other.Labels),
        Math.Max(Samples, other.Samples), Math.Max(Costs, other.Costs));

    public long RowsBehind(Watermark newer) => Math.Max(0, newer.Predictions - Predictions) + Math.Max(0, newer.Labels - Labels)
        + Math.Max(0, newer.Samples - Samples) + Math.Max(0, newer.Costs - Costs);
}
