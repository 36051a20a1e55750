using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Spend in the window, per 1,000 predictions, and month to date against the budget with a projection.</summary>
public partial class CostPanel : PanelBase
{
    private string BudgetDetail => Budget.Budget is { } b ? $"of {Format.Usd(b)} budget" : "no budget set";

    private static readonly IReadOnlyList<SeriesSpec> CostSeries =
    [
        new("Spend", p => p.CostUsd, Charts.Current, Fill: true, PerStepSum: true),
        new("Per 1,000 predictions", p => p.Predictions > 0 ? p.CostUsd / p.Predictions * 1000 : null, Charts.Warning, SecondaryAxis: true),
    ];

    private BudgetView Budget => BudgetView.From(Summary.Cost);

    private string RunRateText => Summary.Cost.RunRatePerDay is { } perDay ? $"{Format.Usd(perDay)} /day" : Format.Missing;
}
