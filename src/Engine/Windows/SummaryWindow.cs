namespace ModelWatch.Engine.Windows;

/// <summary>The windows a user can pick; each is merged from the coarsest stored tier that fits (<see cref="SummaryWindows.Resolution"/>).</summary>
public enum SummaryWindow { FiveMinutes, OneHour, OneDay, SevenDays, ThirtyDays, NinetyDays }

public static class SummaryWindows
{
    public static readonly IReadOnlyList<SummaryWindow> All = [SummaryWindow.FiveMinutes, SummaryWindow.OneHour, SummaryWindow.OneDay, SummaryWindow.SevenDays, SummaryWindow.ThirtyDays, SummaryWindow.NinetyDays];

    public static string ToName(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => "5m",
        SummaryWindow.OneHour => "1h",
        SummaryWindow.OneDay => "24h",
        SummaryWindow.SevenDays => "7d",
        SummaryWindow.ThirtyDays => "30d",
        _ => "90d",
    };

    public static TimeSpan Length(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => TimeSpan.FromMinutes(5),
        SummaryWindow.OneHour => TimeSpan.FromHours(1),
        SummaryWindow.OneDay => TimeSpan.FromDays(1),
        SummaryWindow.SevenDays => TimeSpan.FromDays(7),
        SummaryWindow.ThirtyDays => TimeSpan.FromDays(30),
        _ => TimeSpan.FromDays(90),
    };

    /// <summary>
    /// Where the window starts: 5m and 1h to the minute; 24h and 7d at the start of the hour (the oldest hour is read
    /// whole from the hour tier); 30d and 90d at the start of the UTC day (day tier). docs/api.md states the same.
    /// </summary>
    public static Tier Resolution(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes or SummaryWindow.OneHour => Tier.Minute,
        SummaryWindow.OneDay or SummaryWindow.SevenDays => Tier.Hour,
        _ => Tier.Day,
    };

    /// <summary>Timeline resolution: each point one or a few whole slots of the window's tier.</summary>
    public static TimeSpan Step(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => TimeSpan.FromMinutes(1),
        SummaryWindow.OneHour => TimeSpan.FromMinutes(1),
        SummaryWindow.OneDay => TimeSpan.FromHours(1),
        SummaryWindow.SevenDays => TimeSpan.FromHours(3),
        SummaryWindow.ThirtyDays => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(3),
    };

    public static bool TryParse(string? name, out SummaryWindow window)
    {
        switch (name)
        {
            case "5m" or "5min": window = SummaryWindow.FiveMinutes; return true;
            case "1h" or null or "": window = SummaryWindow.OneHour; return true;
            case "24h" or "1d": window = SummaryWindow.OneDay; return true;
            case "7d": window = SummaryWindow.SevenDays; return true;
            case "30d": window = SummaryWindow.ThirtyDays; return true;
            case "90d": window = SummaryWindow.NinetyDays; return true;
            default: window = SummaryWindow.OneHour; return false;
        }
    }
}
