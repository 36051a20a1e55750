namespace ModelWatch.Engine.Statistics.Performance;

/// <summary>A metric, or the reason it is undefined on these data (never NaN).</summary>
public sealed record MetricValue(double? Value, string? Reason)
{
    public static MetricValue Of(double value) => new(value, null);

    public static MetricValue Undefined(string reason) => new(null, reason);

    /// <summary>Value over denominator, undefined with <paramref name="reason"/> when the denominator is zero.</summary>
    internal static MetricValue Ratio(double numerator, double denominator, string reason) =>
        denominator == 0 ? Undefined(reason) : Of(numerator / denominator);
}
