using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Access;

/// <summary>
/// Who is acting, reduced to what access decisions need. Built from an API key or a signed-in user.
/// Actor is what the audit log records: "user:dana" or "key:key_ab12…". Person (OnBehalfOf for a key) is who is behind it: the user, or the
/// person who created the key ("user:dana", "system:bootstrap"). Every "a different person" rule compares Person.
/// </summary>
public sealed record Caller(string Actor, string Role, IReadOnlySet<string> Teams, IReadOnlySet<string> LeadOf, string? OnBehalfOf = null)
{
    /// <summary>The person behind the credential; a user is their own person.</summary>
    public string Person => OnBehalfOf ?? Actor;

    public bool IsSamePerson(string? person) => string.Equals(Person, person, StringComparison.OrdinalIgnoreCase);

    public bool IsAdmin => Role == Roles.Admin;
    public bool ReadsEverything => Roles.SeesAllTeams(Role);
    public bool IsReadOnly => Role == Roles.Auditor;

    public bool CanRead(ModelDefinition model) => ReadsEverything || (model.TeamId is { } team && Teams.Contains(team));

    public bool CanWrite(ModelDefinition model) => IsAdmin || (!IsReadOnly && model.TeamId is { } team && Teams.Contains(team));

    public bool CanManageTeam(string teamId) => IsAdmin || LeadOf.Contains(teamId);

    public static Caller ForApiKey(ApiKeyIdentity key) => new(
        "key:" + key.KeyId,
        key.IsAdmin ? Roles.Admin : TeamKeyRole,
        key.TeamId is null ? EmptySet : new HashSet<string>(StringComparer.Ordinal) { key.TeamId },
        EmptySet,
        key.CreatedBy);

    public static Caller ForUser(PortalUser user) => new(
        "user:" + user.Username,
        user.Role,
        user.Teams.Select(t => t.TeamId).ToHashSet(StringComparer.Ordinal),
        user.Teams.Where(t => t.Role == "lead").Select(t => t.TeamId).ToHashSet(StringComparer.Ordinal));

    /// <summary>A team's API key: acts for its team's models, like a member.</summary>
    public const string TeamKeyRole = "TeamKey";

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
