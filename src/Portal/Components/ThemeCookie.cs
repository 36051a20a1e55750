namespace ModelWatch.Portal.Components;

/// <summary>The light/dark choice, kept in a cookie that wwwroot/js/theme.js writes and the first render reads.</summary>
public static class ThemeCookie
{
    public const string Name = "mw-theme";
    public const string CascadingName = "DarkMode";

    public static bool IsDark(string? value) => value == "dark";
}
