using System.Globalization;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// An absolute time range on a page (?from=&amp;to=, ISO 8601 in UTC), set by dragging across a chart or by a shared link.
/// A range is history: the page shows it as it was and does not follow live updates.
/// </summary>
public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    public const string FromKey = "from";
    public const string ToKey = "to";

    /// <summary>The longest range a page asks for: the daily tier's default retention.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(730);

    /// <summary>The shortest: one minute, the finest step the aggregates keep.</summary>
    public static readonly TimeSpan MinSpan = TimeSpan.FromMinutes(1);

    /// <summary>Null with no error when neither bound is given; null with a sentence a person can act on when they are unusable.</summary>
    public static TimeRange? Parse(string? from, string? to, DateTimeOffset now, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to)) return null;
        if (!TryParse(from, out var start) || !TryParse(to, out var end))
        {
            error = "The time range in the address needs both 'from' and 'to' as ISO 8601 times, e.g. from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z.";
            return null;
        }
        if (end <= start) { error = "The time range ends before it starts: 'to' must be after 'from'."; return null; }
        if (start > now) { error = "The time range starts in the future: nothing is stored there yet."; return null; }
        if (end - start > MaxSpan) { error = $"The time range spans more than {MaxSpan.TotalDays:0} days, the longest the daily aggregates keep."; return null; }
        // A zoom narrower than a minute still shows that minute.
        return end - start < MinSpan ? new TimeRange(start, start + MinSpan) : new TimeRange(start, end);
    }

    /// <summary>A range from a chart's zoom: clipped to now, rounded to whole seconds.</summary>
    public static TimeRange FromZoom(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        static DateTimeOffset Second(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var end = Second(to > now ? now : to);
        var start = Second(from);
        return end - start < MinSpan ? new TimeRange(end - MinSpan, end) : new TimeRange(start, end);
    }

    public string FromText => Text(From);
    public string ToText => Text(To);

    public string Label => From.UtcDateTime.Date == To.UtcDateTime.Date
        ? $"{Stamp(From, "MMM d HH:mm")}–{Stamp(To, "HH:mm")} UTC"
        : $"{Stamp(From, "MMM d HH:mm")} – {Stamp(To, "MMM d HH:mm")} UTC";

    private static string Stamp(DateTimeOffset t, string format) => t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    private static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}

/// <summary>Handed down from a page to its time charts: where a drag-to-zoom on any chart sends its range, so all charts follow.</summary>
public sealed class ChartZoom(Func<DateTimeOffset, DateTimeOffset, Task> zoomed)
{
    public Task ZoomedAsync(DateTimeOffset from, DateTimeOffset to) => zoomed(from, to);
}
