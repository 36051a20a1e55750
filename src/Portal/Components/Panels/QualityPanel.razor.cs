using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Missing, type-error, out-of-bounds and unknown-category rates: now per feature, and one rate over time.</summary>
public partial class QualityPanel : PanelBase
{
    private QualityRate _rate = QualityRate.Missing;

    private IReadOnlyList<FeatureQualitySummary> Rows =>
        Summary.Quality.OrderByDescending(QualityRates.Worst).ThenBy(q => q.Feature, StringComparer.Ordinal).ToList();

    private IReadOnlyList<SeriesSpec> RateSeries
    {
        get
        {
            var rate = _rate;
            return Summary.Quality.Where(q => q.Declared).Select((q, i) => new SeriesSpec(
                q.Feature,
                p => p.Quality.TryGetValue(q.Feature, out var r) ? rate.Of(r) : null,
                Charts.Palette[i % Charts.Palette.Length])).ToList();
        }
    }

    private static string RateClass(double? rate) => QualityRates.HealthOf(rate) switch
    {
        Health.Bad => "rate-bad",
        Health.Warning => "rate-warning",
        _ => "",
    };
}
