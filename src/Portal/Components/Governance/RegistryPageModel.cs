using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>A model in the registry: its versions (with aliases and archived state), aliases, and requests.</summary>
public sealed record RegistryEntry(ModelDefinition Model, IReadOnlyList<RegistryVersion> Versions, IReadOnlyList<VersionAlias> Aliases, IReadOnlyList<AliasRequest> Requests)
{
    public IReadOnlyList<AliasRequest> Pending => Requests.Where(r => r.Status == AliasRequestStatus.Pending).ToList();

    public string? VersionOf(string alias) => Aliases.FirstOrDefault(a => a.Alias == alias)?.Version;

    public int ArchivedCount => Versions.Count(v => v.ArchivedAt is not null);
}

public sealed record VersionsView(RegistryEntry Entry, bool CanRequest, bool CanDecide)
{
    /// <summary>Newest first, as a person reads a release list.</summary>
    public IReadOnlyList<RegistryVersion> Versions => Entry.Versions.Reverse().ToList();

    public IReadOnlyList<string> ActiveVersions => Versions.Where(v => v.ArchivedAt is null).Select(v => v.Info.Version).ToList();
}

/// <summary>
/// The registry as a caller may see it, alias requests and decisions through <see cref="AliasStore"/> (which applies
/// the four-eyes rule), and a production approval re-binds the drift baseline exactly as the API does.
/// </summary>
public sealed class RegistryPageModel(RegistryStore registry, AliasStore aliases, ISummaryReader summaries, Baselines baselines)
{
    public IReadOnlyList<RegistryEntry> List(Caller caller) =>
        registry.ListModels().Where(caller.CanRead).Select(Entry).ToList();

    public Loaded<VersionsView> Load(Caller caller, string modelId)
    {
        var model = registry.FindModel(modelId);
        if (model is null) return Loaded<VersionsView>.NotFound($"There is no model '{modelId}'.");
        if (!caller.CanRead(model)) return Loaded<VersionsView>.NotAllowed($"'{modelId}' belongs to team '{model.TeamId ?? "(none)"}', which you are not a member of.");
        var canDecide = !caller.IsReadOnly && (caller.IsAdmin || (model.TeamId is { } team && caller.LeadOf.Contains(team)));
        return Loaded<VersionsView>.Ready(new VersionsView(Entry(model), caller.CanWrite(model), canDecide));
    }

    /// <summary>Two versions side by side; the live numbers are each version's last 24 hours.</summary>
    public Loaded<VersionComparison> Compare(Caller caller, string modelId, string left, string right)
    {
        var loaded = Load(caller, modelId);
        if (loaded.Value is not { } view) return new(loaded.Status, null, loaded.Message);
        var a = view.Entry.Versions.FirstOrDefault(v => v.Info.Version == left);
        var b = view.Entry.Versions.FirstOrDefault(v => v.Info.Version == right);
        if (a is null || b is null) return Loaded<VersionComparison>.NotFound($"Model '{modelId}' has no version '{(a is null ? left : right)}'.");
        try
        {
            return Loaded<VersionComparison>.Ready(VersionComparison.Build(a, b,
                summaries.GetSummary(modelId, SummaryWindow.OneDay, left), summaries.GetSummary(modelId, SummaryWindow.OneDay, right)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Loaded<VersionComparison>.Ready(VersionComparison.Build(a, b, null, null, $"Live numbers could not be read: {e.Message}"));
        }
    }

    public Outcome<AliasRequest> RequestAlias(Caller caller, string modelId, string alias, string? version, string? reason)
    {
        var model = registry.FindModel(modelId);
        if (model is null) return Outcome<AliasRequest>.NotFound($"There is no model '{modelId}'.");
        return aliases.Request(model, alias, new AliasChangeRequest(version, reason), caller);
    }

    public Outcome<AliasRequest> Approve(Caller caller, long requestId, string? reason)
    {
        var outcome = aliases.Approve(requestId, new DecisionRequest(reason), caller);
        // A new production version brings its reference as the drift baseline (as POST .../approve does).
        if (outcome.IsOk && outcome.Value!.Alias == Aliases.Production && registry.FindModel(outcome.Value.Model) is { } model) baselines.Invalidate(model);
        return outcome;
    }

    public Outcome<AliasRequest> Reject(Caller caller, long requestId, string? reason) =>
        aliases.Reject(requestId, new DecisionRequest(reason), caller);

    private RegistryEntry Entry(ModelDefinition model) => new(model, aliases.Versions(model), aliases.AliasesOf(model), aliases.Requests(model));
}
