using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;
using MudBlazor;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>The drawer: the fleet and the models the viewer may read (the layout passes only those).</summary>
public partial class NavMenu : ComponentBase
{
    [Parameter, EditorRequired] public IReadOnlyList<ModelDefinition> Models { get; set; } = [];
    [Parameter] public SummaryWindow Window { get; set; } = SummaryWindow.OneHour;
    [Parameter] public string? CurrentModelId { get; set; }

    private string FleetHref => "/" + new PageState(Window, null, null).ToQuery();

    private static string TaskIcon(ModelDefinition model) => model.Task switch
    {
        ModelTask.Regression => Icons.Material.Outlined.ShowChart,
        ModelTask.MulticlassClassification => Icons.Material.Outlined.Category,
        _ => Icons.Material.Outlined.Rule,
    };
}
