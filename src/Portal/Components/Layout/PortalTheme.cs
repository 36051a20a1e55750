using MudBlazor;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>
/// One palette for light and dark; the indigo matches the chart's "current" colour. Every text colour meets WCAG AA
/// (4.5:1) on the background it sits on, which axe-core checks in the browser tests.
/// </summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00796b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
            // MudBlazor's 54 % black is 4.45:1 on the page background; 5.8:1 here.
            TextSecondary = "#5f6063",
            ActionDefault = "#5f6063",
            Success = "#2e7d32",
            Warning = "#b45309",
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
            // Light fills in the dark theme: dark text on them (white on #8c9eff is 2.5:1).
            PrimaryContrastText = "#0d1030",
            SecondaryContrastText = "#0d1030",
            SuccessContrastText = "#0d1030",
            WarningContrastText = "#0d1030",
            ErrorContrastText = "#0d1030",
        },
        LayoutProperties = new LayoutProperties { AppbarHeight = "48px" },
    };
}
