using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>The "who am I" menu: name, role and teams, and a plain form that posts to /account/signout.</summary>
public partial class WhoAmI : ComponentBase
{
    [Parameter, EditorRequired] public Viewer Viewer { get; set; } = default!;

    private string Initials => string.Concat(Viewer.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));

    private string RoleName => Viewer.Role switch
    {
        Roles.DataScientist => "Data scientist",
        Roles.OpsEngineer => "Ops engineer",
        _ => Viewer.Role,
    };
}
