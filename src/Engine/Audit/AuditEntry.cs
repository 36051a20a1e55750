namespace ModelWatch.Engine.Audit;

/// <summary>One stored entry of the audit log. Before and After are JSON text exactly as hashed.</summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? SubjectTeam,
    string? SubjectModel,
    string? SubjectVersion,
    string? Before,
    string? After,
    string? Reason,
    string PrevHash,
    string Hash);

/// <summary>What happened, as a caller reports it; the log adds sequence, time and hashes.</summary>
/// <param name="Before">Any value; serialised as JSON (camelCase). Null when there was nothing before.</param>
/// <param name="After">Any value; serialised as JSON (camelCase). Null when nothing remains after.</param>
public sealed record NewAuditEntry(
    string Actor,
    string Action,
    string? Team = null,
    string? Model = null,
    string? Version = null,
    object? Before = null,
    object? After = null,
    string? Reason = null);

/// <summary>Which entries to read or export. From is inclusive, To exclusive; null means unbounded.</summary>
public sealed record AuditFilter(
    string? Team = null,
    string? Model = null,
    string? Actor = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    public static readonly AuditFilter All = new();
}

/// <summary>A page of entries, newest first; pass NextCursor as the cursor to read older ones.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextCursor);

/// <summary>The answer of a chain walk: valid with the head, or the first entry that is not what was written.</summary>
public sealed record AuditVerification(bool Valid, long Entries, string? LastHash, long? FirstBadSequence, string? Reason)
{
    public static AuditVerification Ok(long entries, string lastHash) => new(true, entries, lastHash, null, null);
    public static AuditVerification Broken(long entries, long firstBadSequence, string reason) => new(false, entries, null, firstBadSequence, reason);
}

/// <summary>The action names the log records. Dotted, subject first, past tense.</summary>
public static class AuditActions
{
    public const string TeamCreated = "team.created";
    public const string MemberAdded = "team.member-added";
    public const string MemberChanged = "team.member-changed";
    public const string MemberRemoved = "team.member-removed";
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string ModelRegistered = "model.registered";
    public const string OwnerChanged = "model.owner-changed";
    public const string VersionRegistered = "version.registered";
    public const string VersionArchived = "version.archived";
    public const string VersionRestored = "version.restored";
    public const string BaselineUploaded = "baseline.uploaded";
    public const string DriftSettingsChanged = "drift.settings-changed";
    public const string LimitsChanged = "model.limits-changed";
    public const string AliasSet = "alias.set";
    public const string AliasRequested = "alias.requested";
    public const string AliasApproved = "alias.approved";
    public const string AliasRejected = "alias.rejected";
    public const string SignedIn = "user.signed-in";
    public const string SignInFailed = "user.sign-in-failed";
    public const string AccessDenied = "access.denied";
    public const string AuditExported = "audit.exported";
    public const string EvidenceExported = "audit.evidence-exported";
}
