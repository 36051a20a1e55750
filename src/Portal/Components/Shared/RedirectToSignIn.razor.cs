using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Shared;

public partial class RedirectToSignIn : ComponentBase
{
    [Inject] public required NavigationManager Navigation { get; init; }

    // forceLoad: the sign-in page is static server-rendered, outside the circuit.
    protected override void OnInitialized() =>
        Navigation.NavigateTo($"signin?returnUrl={Uri.EscapeDataString("/" + Navigation.ToBaseRelativePath(Navigation.Uri))}", forceLoad: true);
}
