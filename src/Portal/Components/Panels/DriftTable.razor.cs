using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Per-feature drift, sortable by a header click; a row click or Enter selects the feature.</summary>
public partial class DriftTable : ComponentBase
{
    private sealed record Column(string Title, DriftSortColumn? Sort, string? Class = null);

    private static readonly IReadOnlyList<Column> Columns =
    [
        new("Feature", DriftSortColumn.Feature),
        new("Method", DriftSortColumn.Method),
        new("Value", DriftSortColumn.Value, "num"),
        new("Threshold", null, "num"),
        new("Drifted", DriftSortColumn.Drifted),
        new("PSI", DriftSortColumn.Psi, "num"),
        new("Reference n", null, "num"),
        new("Current n", null, "num"),
    ];

    private DriftSort? _sort;

    [Parameter, EditorRequired] public IReadOnlyList<FeatureDrift> Features { get; set; } = [];
    [Parameter] public string? SelectedFeature { get; set; }
    [Parameter] public EventCallback<string> OnSelect { get; set; }

    private IReadOnlyList<FeatureDrift> Ordered => DriftRows.Sorted(Features, _sort);

    private void SortBy(DriftSortColumn column) => _sort = DriftSort.Next(_sort, column);

    private string? AriaSort(DriftSortColumn? column) =>
        column is null || _sort?.Column != column ? null : _sort.Descending ? "descending" : "ascending";

    private string Arrow(DriftSortColumn column) => _sort?.Column != column ? "" : _sort.Descending ? " ↓" : " ↑";

    private Task Select(FeatureDrift row) => OnSelect.InvokeAsync(row.Feature);

    private Task OnRowKey(KeyboardEventArgs e, FeatureDrift row) => e.Key is "Enter" or " " ? Select(row) : Task.CompletedTask;
}
