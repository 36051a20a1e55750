using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Shared;

public partial class RedirectToSignIn : ComponentBase
{
    [Inject] public required NavigationManager Navigation { get; init; }

    // forceLoad: the sign-in page is static server-rendered, outside the circuit.
    protected override void OnInitialized() => Navigation.NavigateTo(Href(Navigation), forceLoad: true);

    /// <summary>The sign-in page, returning here afterwards (a return path that is unsafe or too long falls back to "/").</summary>
    public static string Href(NavigationManager navigation) =>
        Auth.AccountEndpoints.SignInRedirect("/" + navigation.ToBaseRelativePath(navigation.Uri)).TrimStart('/');
}
