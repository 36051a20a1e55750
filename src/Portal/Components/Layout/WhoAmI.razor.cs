using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>
/// The "who am I" panel: name, role and teams, which view the pages lead with (quality or operations, remembered in
/// a cookie), and a plain form that posts to /account/signout.
/// </summary>
public partial class WhoAmI : ComponentBase
{
    private static readonly (ViewKind Kind, string Name, string Label)[] ViewChoices =
    [
        (ViewKind.Quality, ViewCookie.Quality, "Model quality (data science)"),
        (ViewKind.Operations, ViewCookie.Operations, "Operations (latency, cost)"),
    ];

    private bool _open;

    [Parameter, EditorRequired] public Viewer Viewer { get; set; } = default!;

    /// <summary>The user picked the other view; the layout stores it and re-renders the page with it.</summary>
    [Parameter] public EventCallback<ViewKind> ViewChosen { get; set; }

    private string Initials => string.Concat(Viewer.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));

    private string RoleName => Viewer.Role switch
    {
        Roles.DataScientist => "Data scientist",
        Roles.OpsEngineer => "Ops engineer",
        _ => Viewer.Role,
    };

    private void Toggle() => _open = !_open;

    private void Close() => _open = false;

    private void OnKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape") _open = false;
    }

    private Task ChooseView(ViewKind view) => ViewChosen.InvokeAsync(view);
}
