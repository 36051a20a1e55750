using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelWatch.Engine.Alerting;

/// <summary>Durations as Prometheus writes them: "30s", "5m", "1h30m", "2d"; "0" or "0s" for none.</summary>
public static partial class Durations
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(7);

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text == "0") return true;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        double total = 0;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var unit = capture.Value[^1];
            if (!double.TryParse(capture.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
            total += n * unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 86400 };
            if (total > Max.TotalSeconds) return false;
        }
        value = TimeSpan.FromSeconds(total);
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return "0s";
        var parts = new List<string>();
        if (value.Days > 0) parts.Add($"{value.Days}d");
        if (value.Hours > 0) parts.Add($"{value.Hours}h");
        if (value.Minutes > 0) parts.Add($"{value.Minutes}m");
        if (value.Seconds > 0) parts.Add($"{value.Seconds}s");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}[smhd])+$")]
    private static partial Regex Pattern();
}
