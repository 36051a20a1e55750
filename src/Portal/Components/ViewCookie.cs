using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components;

/// <summary>The quality/operations view a user chose over their role's default, kept in a cookie so every page load starts in it.</summary>
public static class ViewCookie
{
    public const string Name = "mw-view";
    public const string CascadingName = "ChosenView";
    public const string Quality = "quality";
    public const string Operations = "operations";

    public static ViewKind? Parse(string? value) => value switch
    {
        Quality => ViewKind.Quality,
        Operations => ViewKind.Operations,
        _ => null,
    };

    public static string ToName(ViewKind view) => view == ViewKind.Operations ? Operations : Quality;
}
