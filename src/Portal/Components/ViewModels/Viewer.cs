using System.Security.Claims;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>Which concerns a user's views lead with: model quality (data scientists) or operations (ops engineers).</summary>
public enum ViewKind { Quality, Operations }

/// <summary>The signed-in user as the UI needs them: access decisions (Caller) plus what the "who am I" menu shows.</summary>
public sealed record Viewer(Caller Caller, string Username, string DisplayName)
{
    public string Role => Caller.Role;

    public IReadOnlyList<string> Teams => Caller.Teams.Order(StringComparer.Ordinal).ToList();

    /// <summary>The view the user picked over their role's default (the "who am I" panel), or null.</summary>
    public ViewKind? ChosenView { get; init; }

    public ViewKind View => ChosenView ?? (Role == Roles.OpsEngineer ? ViewKind.Operations : ViewKind.Quality);

    public bool CanRead(ModelDefinition model) => Caller.CanRead(model);
}

/// <summary>Turns the circuit's principal into a <see cref="Viewer"/>; null when not signed in or the user is gone.</summary>
public interface IViewerResolver
{
    Viewer? Resolve(ClaimsPrincipal principal);
}

public sealed class ViewerResolver(CallerResolver callers) : IViewerResolver
{
    public Viewer? Resolve(ClaimsPrincipal principal)
    {
        var caller = callers.Resolve(principal);
        if (caller is null) return null;
        var username = principal.Identity?.Name ?? caller.Actor;
        return new Viewer(caller, username, principal.FindFirstValue(PortalClaims.DisplayName) ?? username);
    }
}
