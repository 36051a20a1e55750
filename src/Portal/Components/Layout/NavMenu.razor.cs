using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;
using MudBlazor;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>The drawer: the fleet, the governance pages and the models the viewer may read (the layout passes only those).</summary>
public partial class NavMenu : ComponentBase
{
    private sealed record Link(string Title, string Href, string Icon, string TestId, bool Active);

    [Parameter, EditorRequired] public IReadOnlyList<ModelDefinition> Models { get; set; } = [];
    [Parameter] public SummaryWindow Window { get; set; } = SummaryWindow.OneHour;
    [Parameter] public string? CurrentModelId { get; set; }
    /// <summary>The current path without the leading slash ("", "registry", "models/x/versions"), to mark the active link.</summary>
    [Parameter] public string CurrentPath { get; set; } = "";
    /// <summary>Only callers who may read the audit log (admins and auditors) get its link.</summary>
    [Parameter] public bool ShowAudit { get; set; }

    private string FleetHref => "/" + new PageState(Window, null, null).ToQuery();

    /// <summary>The portal's pages, above the "Models" heading.</summary>
    private IEnumerable<Link> PageLinks =>
    [
        new("Fleet", FleetHref, Icons.Material.Filled.Dashboard, "nav-fleet", CurrentPath.Length == 0),
        new("Alerts", "alerts", Icons.Material.Outlined.NotificationsActive, "nav-alerts", IsUnder("alerts") || IsUnder("silences")),
        new("Registry", "registry", Icons.Material.Outlined.Inventory2, "nav-registry", IsUnder("registry")),
        new("Teams", "teams", Icons.Material.Outlined.Groups, "nav-teams", IsUnder("teams")),
        .. ShowAudit ? [new Link("Audit log", "audit", Icons.Material.Outlined.Policy, "nav-audit", IsUnder("audit"))] : Array.Empty<Link>(),
    ];

    private IEnumerable<Link> ModelLinks =>
        Models.Select(m => new Link(m.Name, PageState.ModelHref(m.Id, Window), TaskIcon(m), $"nav-model-{m.Id}", m.Id == CurrentModelId));

    private bool IsUnder(string section) => CurrentPath == section || CurrentPath.StartsWith(section + "/", StringComparison.Ordinal);

    private static string TaskIcon(ModelDefinition model) => model.Task switch
    {
        ModelTask.Regression => Icons.Material.Outlined.ShowChart,
        ModelTask.MulticlassClassification => Icons.Material.Outlined.Category,
        _ => Icons.Material.Outlined.Rule,
    };
}
