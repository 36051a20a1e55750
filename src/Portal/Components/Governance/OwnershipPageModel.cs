using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Components.Governance;

public sealed record OwnershipView(ModelDefinition Model, ModelOwnership Ownership, bool CanReassign, IReadOnlyList<Team> Teams)
{
    /// <summary>Newest change first: the question is usually "who changed it last, and why".</summary>
    public IReadOnlyList<OwnershipChange> History => Ownership.History.Reverse().ToList();
}

public sealed record OwnershipGap(string Model, string Name, string? Team, string? OnCall, string? Escalation)
{
    public bool MissingOwner => Team is null;
    public bool MissingOnCall => string.IsNullOrWhiteSpace(OnCall);
}

/// <summary>A model's owner, contacts and history; reassignment through <see cref="OwnershipStore"/>; the fleet's gaps.</summary>
public sealed class OwnershipPageModel(RegistryStore registry, OwnershipStore ownership)
{
    public Loaded<OwnershipView> Load(Caller caller, string modelId)
    {
        var model = registry.FindModel(modelId);
        if (model is null) return Loaded<OwnershipView>.NotFound($"There is no model '{modelId}'.");
        if (!caller.CanRead(model)) return Loaded<OwnershipView>.NotAllowed($"'{modelId}' belongs to team '{model.TeamId ?? "(none)"}', which you are not a member of.");
        var canReassign = !caller.IsReadOnly && (caller.IsAdmin || (model.TeamId is { } team && caller.LeadOf.Contains(team)));
        return Loaded<OwnershipView>.Ready(new OwnershipView(model, ownership.Get(model), canReassign, registry.ListTeams()));
    }

    /// <summary>Visible models with no owner team or no on-call contact, owner-less first.</summary>
    public IReadOnlyList<OwnershipGap> Gaps(Caller caller)
    {
        var visible = registry.ListModels().Where(caller.CanRead).ToDictionary(m => m.Id, StringComparer.Ordinal);
        return ownership.All()
            .Where(o => visible.ContainsKey(o.Model))
            .Select(o => new OwnershipGap(o.Model, visible[o.Model].Name, o.Team, o.OnCall, o.Escalation))
            .Where(g => g.MissingOwner || g.MissingOnCall)
            .OrderBy(g => g.MissingOwner ? 0 : 1).ThenBy(g => g.Model, StringComparer.Ordinal)
            .ToList();
    }

    public Outcome<ModelOwnership> Reassign(Caller caller, string modelId, OwnerChangeRequest request)
    {
        var model = registry.FindModel(modelId);
        if (model is null) return Outcome<ModelOwnership>.NotFound($"There is no model '{modelId}'.");
        if (!caller.CanRead(model)) return OutcomeText.Forbidden<ModelOwnership>($"'{modelId}' belongs to a team you are not a member of.");
        return ownership.ChangeOwner(model, request, caller);
    }
}
