using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Windows;

/// <summary>How summaries read performance and cost. Bound from Portal:Metrics.</summary>
public sealed class MetricOptions
{
    public const string Section = "Portal:Metrics";

    /// <summary>Below this many labelled events a window (or a timeline step) shows "too few labels" instead of a metric.</summary>
    [Range(1, 100_000)]
    public int MinimumLabels { get; set; } = 30;

    /// <summary>The cost projection carries the spend rate of this recent span to the month's end.</summary>
    [Range(typeof(TimeSpan), "00:15:00", "31.00:00:00")]
    public TimeSpan CostRunRateWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Headline metric per model id: accuracy, balancedAccuracy or f1 (binary), accuracy or macroF1 (multiclass), mae
    /// (regression). Unlisted models get auto: balanced accuracy for binary models whose labels are imbalanced.
    /// </summary>
    public Dictionary<string, string> Headline { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A binary model whose positive (or negative) share of labels is below this is treated as imbalanced.</summary>
    [Range(0.0, 0.5)]
    public double ImbalancedShare { get; set; } = 0.2;
}
