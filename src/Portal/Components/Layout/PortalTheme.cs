using MudBlazor;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>One palette for light and dark; the indigo matches the chart's "current" colour.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#ef6c00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
            AppbarBackground = "#1a1f36",
            Background = "#12141c",
            Surface = "#1c1f2b",
            DrawerBackground = "#171a24",
            Success = "#66bb6a",
            Warning = "#ffa726",
            Error = "#ef5350",
        },
        LayoutProperties = new LayoutProperties { AppbarHeight = "48px" },
    };
}
