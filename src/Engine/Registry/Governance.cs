namespace ModelWatch.Engine.Registry;

/// <summary>The aliases a version can hold, one version each per model.</summary>
public static class Aliases
{
    public const string Production = "production";
    public const string Staging = "staging";
    public const string Shadow = "shadow";

    public static readonly IReadOnlyList<string> All = [Production, Staging, Shadow];

    public static bool IsValid(string? alias) => alias is Production or Staging or Shadow;

    /// <summary>Only production needs a second person; staging and shadow may also be set directly by the team.</summary>
    public static bool NeedsApproval(string alias) => alias == Production;
}

public static class AliasRequestStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}

/// <param name="RequestedBy">The credential that filed it ("user:dana" or "key:…").</param>
/// <param name="RequestedFor">The person behind that credential; four-eyes compares this, never the credential.</param>
public sealed record AliasRequest(
    long Id, string Model, string Alias, string Version, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    string Status, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason, string RequestedFor);

public sealed record VersionAlias(string Alias, string Version, string SetBy, DateTimeOffset SetAt, long? RequestId);

/// <summary>A version as the registry shows it: metadata, the aliases it holds and whether it is archived.</summary>
public sealed record RegistryVersion(ModelVersionInfo Info, IReadOnlyList<string> Aliases, DateTimeOffset? ArchivedAt, string? ArchivedBy);

public sealed record OwnershipChange(string? FromTeam, string? ToTeam, string? OnCall, string? Escalation, string ChangedBy, DateTimeOffset ChangedAt, string Reason);

public sealed record ModelOwnership(string Model, string? Team, string? OnCall, string? Escalation, IReadOnlyList<OwnershipChange> History);

// Request shapes as they arrive over the API; nullable so validation can name what is missing.
public sealed record OwnerChangeRequest(string? Team, string? Reason, string? OnCall = null, string? Escalation = null);

public sealed record AliasChangeRequest(string? Version, string? Reason);

public sealed record DecisionRequest(string? Reason);
