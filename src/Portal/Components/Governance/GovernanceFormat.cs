using System.Globalization;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>How governance records read: full UTC timestamps (an audit trail needs the date), actors without their prefix.</summary>
public static class GovernanceFormat
{
    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : Format.Missing;

    // When in two parts, so a narrow column breaks between the day and the time and nowhere else.
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"user:dana" reads as "dana"; keys keep their prefix so they are not mistaken for people.</summary>
    public static string Actor(string? actor) => actor is null ? Format.Missing : actor.StartsWith("user:", StringComparison.Ordinal) ? actor[5..] : actor;

    /// <summary>The first 12 hex digits identify an entry to a reader; the full hash goes in a tooltip.</summary>
    public static string ShortHash(string? hash) => hash is { Length: > 12 } ? hash[..12] + "…" : hash ?? Format.Missing;

    public static string OrMissing(string? text) => string.IsNullOrWhiteSpace(text) ? Format.Missing : text;

    public static string ModelHref(string model, string? page = null) =>
        "models/" + Uri.EscapeDataString(model) + (page is null ? "" : "/" + page);
}
