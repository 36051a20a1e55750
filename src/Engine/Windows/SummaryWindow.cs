namespace ModelWatch.Engine.Windows;

/// <summary>The windows a user can pick; each is merged from minute buckets.</summary>
public enum SummaryWindow { FiveMinutes, OneHour, OneDay, SevenDays }

public static class SummaryWindows
{
    public static readonly IReadOnlyList<SummaryWindow> All = [SummaryWindow.FiveMinutes, SummaryWindow.OneHour, SummaryWindow.OneDay, SummaryWindow.SevenDays];

    public static string ToName(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => "5m",
        SummaryWindow.OneHour => "1h",
        SummaryWindow.OneDay => "24h",
        _ => "7d",
    };

    public static TimeSpan Length(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => TimeSpan.FromMinutes(5),
        SummaryWindow.OneHour => TimeSpan.FromHours(1),
        SummaryWindow.OneDay => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>Timeline resolution: about 60 points per window, never finer than the minute buckets.</summary>
    public static TimeSpan Step(this SummaryWindow window) => window switch
    {
        SummaryWindow.FiveMinutes => TimeSpan.FromMinutes(1),
        SummaryWindow.OneHour => TimeSpan.FromMinutes(1),
        SummaryWindow.OneDay => TimeSpan.FromMinutes(30),
        _ => TimeSpan.FromHours(3),
    };

    public static bool TryParse(string? name, out SummaryWindow window)
    {
        switch (name)
        {
            case "5m" or "5min": window = SummaryWindow.FiveMinutes; return true;
            case "1h" or null or "": window = SummaryWindow.OneHour; return true;
            case "24h" or "1d": window = SummaryWindow.OneDay; return true;
            case "7d": window = SummaryWindow.SevenDays; return true;
            default: window = SummaryWindow.OneHour; return false;
        }
    }
}
