using System.Globalization;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>How numbers read on screen. Missing values show as an em dash, never as NaN or 0.</summary>
public static class Format
{
    public const string Missing = "—";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Percent(double? share, int decimals = 1) =>
        share is { } x && double.IsFinite(x) ? (x * 100).ToString("F" + decimals, Inv) + " %" : Missing;

    public static string Ms(double? ms) =>
        ms is { } x && double.IsFinite(x) ? (x >= 100 ? x.ToString("N0", Inv) : x.ToString("F1", Inv)) + " ms" : Missing;

    public static string Usd(double? usd) =>
        usd is { } x && double.IsFinite(x) ? "$" + x.ToString(Math.Abs(x) >= 1000 ? "N0" : "N2", Inv) : Missing;

    public static string Number(double? value, int decimals = 3) =>
        value is { } x && double.IsFinite(x) ? x.ToString("F" + decimals, Inv) : Missing;

    public static string Count(long count) => count.ToString("N0", Inv);

    /// <summary>"1 error", "2,000 errors".</summary>
    public static string Plural(long count, string noun, string? plural = null) => $"{Count(count)} {(count == 1 ? noun : plural ?? noun + "s")}";

    /// <summary>Megabytes as MB below a gigabyte, GB above, so the tile and the axis use one unit.</summary>
    public static string Memory(double? mb) => mb is { } x && double.IsFinite(x) ? (MemoryUnit(x) == "GB" ? (x / 1024).ToString("F1", Inv) + " GB" : x.ToString("F0", Inv) + " MB") : Missing;

    /// <summary>The unit <see cref="Memory"/> shows a value in; charts label their axis with it.</summary>
    public static string MemoryUnit(double? mb) => mb >= 1024 ? "GB" : "MB";

    public static string PerSecond(double? rate) => rate is { } x && double.IsFinite(x) ? x.ToString("F1", Inv) + " /s" : Missing;

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("HH:mm:ss", Inv) + " UTC" : Missing;

    /// <summary>A time of day today, else day and time: "18:40 UTC", "2 Dec 18:40 UTC".</summary>
    public static string When(DateTimeOffset at, DateTimeOffset now) =>
        at.UtcDateTime.Date == now.UtcDateTime.Date ? at.UtcDateTime.ToString("HH:mm", Inv) + " UTC" : at.UtcDateTime.ToString("d MMM HH:mm", Inv) + " UTC";

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t) return "never";
        var age = now - t;
        if (age < TimeSpan.FromSeconds(5)) return "just now";
        if (age < TimeSpan.FromMinutes(1)) return $"{(int)age.TotalSeconds} s ago";
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(1)) return $"{(int)age.TotalHours} h ago";
        return $"{(int)age.TotalDays} d ago";
    }
}

/// <summary>Traffic-light health of one number; drives colour and ordering.</summary>
public enum Health { Unknown, Good, Warning, Bad }
