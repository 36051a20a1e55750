using System.Globalization;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>How governance records read: full UTC timestamps (an audit trail needs the date), actors without their prefix.</summary>
public static class GovernanceFormat
{
    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : Format.Missing;

    /// <summary>"user:dana" reads as "dana"; keys keep their prefix so they are not mistaken for people.</summary>
    public static string Actor(string? actor) => actor is null ? Format.Missing : actor.StartsWith("user:", StringComparison.Ordinal) ? actor[5..] : actor;

    public static string OrMissing(string? text) => string.IsNullOrWhiteSpace(text) ? Format.Missing : text;

    public static string ModelHref(string model, string? page = null) =>
        "models/" + Uri.EscapeDataString(model) + (page is null ? "" : "/" + page);
}
