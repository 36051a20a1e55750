using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>The model page's panels, named as they appear in the URL (?tab=drift).</summary>
public enum ModelTab { Drift, Predictions, Performance, Quality, Latency, Cost, Alerts }

public static class ModelTabs
{
    /// <summary>Order on the page: quality concerns first, then operations, then the alert rules on all of them.</summary>
    public static readonly IReadOnlyList<ModelTab> All = [ModelTab.Drift, ModelTab.Predictions, ModelTab.Performance, ModelTab.Quality, ModelTab.Latency, ModelTab.Cost, ModelTab.Alerts];

    public static string ToName(this ModelTab tab) => tab.ToString().ToLowerInvariant();

    public static string Title(this ModelTab tab) => tab switch
    {
        ModelTab.Drift => "Drift",
        ModelTab.Predictions => "Predictions",
        ModelTab.Performance => "Performance",
        ModelTab.Quality => "Data quality",
        ModelTab.Latency => "Latency & system",
        ModelTab.Alerts => "Alerts",
        _ => "Cost",
    };

    public static ModelTab DefaultFor(ViewKind view) => view == ViewKind.Operations ? ModelTab.Latency : ModelTab.Drift;

    public static ModelTab? Parse(string? name) =>
        Enum.TryParse<ModelTab>(name, ignoreCase: true, out var tab) && Enum.IsDefined(tab) && !int.TryParse(name, out _) ? tab : null;
}

/// <summary>
/// What a page shows, read from and written to the URL query (?window=1h&amp;version=1.1.0&amp;tab=drift) so a link reproduces the view.
/// </summary>
public sealed record PageState(SummaryWindow Window, string? Version, ModelTab? Tab)
{
    public const string WindowKey = "window";
    public const string VersionKey = "version";
    public const string TabKey = "tab";
    public const string FeatureKey = "feature";

    public static PageState From(string? window, string? version, string? tab) => new(
        SummaryWindows.TryParse(window, out var w) ? w : SummaryWindow.OneHour,
        string.IsNullOrWhiteSpace(version) ? null : version,
        ModelTabs.Parse(tab));

    public static PageState FromUri(string uri)
    {
        var query = new Uri(uri).Query;
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        return From(values.GetValueOrDefault(WindowKey).FirstOrDefault(), values.GetValueOrDefault(VersionKey).FirstOrDefault(), values.GetValueOrDefault(TabKey).FirstOrDefault());
    }

    /// <summary>The query string for links, leaving out defaults so URLs stay short.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        if (Window != SummaryWindow.OneHour) parts.Add($"{WindowKey}={Window.ToName()}");
        if (Version is not null) parts.Add($"{VersionKey}={Uri.EscapeDataString(Version)}");
        if (Tab is { } tab) parts.Add($"{TabKey}={tab.ToName()}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public static string ModelHref(string modelId, SummaryWindow window) => "models/" + Uri.EscapeDataString(modelId) + new PageState(window, null, null).ToQuery();
}
