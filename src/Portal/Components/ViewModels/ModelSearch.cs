using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

public enum SearchMatch { Model, Team, Feature, Version }

/// <summary>One search result: the model, and what in it matched (its name, owner team, a feature or a version).</summary>
public sealed record SearchHit(ModelDefinition Model, SearchMatch Match, string? Value = null)
{
    /// <summary>Why this model is listed, shown under its name; empty when the name or id matched.</summary>
    public string Why => Match switch
    {
        SearchMatch.Team => $"team {Value}",
        SearchMatch.Feature => $"feature {Value}",
        SearchMatch.Version => $"version {Value}",
        _ => "",
    };

    /// <summary>Where the result leads: a feature opens the drift tab on it, a version filters the page to it.</summary>
    public string Href(SummaryWindow window)
    {
        var state = Match switch
        {
            SearchMatch.Feature => new PageState(window, null, ModelTab.Drift),
            SearchMatch.Version => new PageState(window, Value, null),
            _ => new PageState(window, null, null),
        };
        var query = state.ToQuery();
        if (Match == SearchMatch.Feature) query += (query.Length == 0 ? "?" : "&") + $"{PageState.FeatureKey}={Uri.EscapeDataString(Value!)}";
        return "models/" + Uri.EscapeDataString(Model.Id) + query;
    }
}

/// <summary>
/// The search box: models by name or id first, then by owner team, feature and version, among the models the viewer
/// may see. Typing "amount" lists every visible model with that feature.
/// </summary>
public static class ModelSearch
{
    public const int MaxHits = 20;

    public static IReadOnlyList<SearchHit> Find(IReadOnlyList<ModelDefinition> models, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return models.Take(MaxHits).Select(m => new SearchHit(m, SearchMatch.Model)).ToList();
        var query = text.Trim();
        bool Has(string? value) => value is not null && value.Contains(query, StringComparison.OrdinalIgnoreCase);

        var byName = models.Where(m => Has(m.Name) || Has(m.Id))
            .OrderBy(m => m.Name.StartsWith(query, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => new SearchHit(m, SearchMatch.Model)).ToList();
        var named = byName.Select(h => h.Model.Id).ToHashSet(StringComparer.Ordinal);
        var byTeam = models.Where(m => Has(m.TeamId) && !named.Contains(m.Id)).Select(m => new SearchHit(m, SearchMatch.Team, m.TeamId));
        var byFeature = models.SelectMany(m => m.Features.Where(f => Has(f.Name)).Select(f => new SearchHit(m, SearchMatch.Feature, f.Name)));
        var byVersion = models.SelectMany(m => m.VersionKeys.Keys.Where(Has).OrderByDescending(v => v, StringComparer.Ordinal)
            .Select(v => new SearchHit(m, SearchMatch.Version, v)));
        return byName.Concat(byTeam).Concat(byFeature).Concat(byVersion).Take(MaxHits).ToList();
    }
}
