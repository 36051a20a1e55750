namespace ModelWatch.Engine.Storage;

/// <summary>The database engine behind the stores (Portal:Storage:Provider).</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public static class StorageProviders
{
    public const string Key = "Portal:Storage:Provider";

    /// <summary>Parses the configured name ("sqlite" or "postgres", any case); null when it is neither.</summary>
    public static StorageProvider? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" => StorageProvider.Postgres,
        _ => null,
    };

    /// <summary>
    /// The parts of the Engine whose stores still speak only SQLite. The portal refuses to start on PostgreSQL while this
    /// list is not empty; each store moved behind <see cref="IConnectionFactory"/> leaves it.
    /// </summary>
    public static IReadOnlyList<string> SqliteOnly { get; } =
    [
        "registry (RegistryStore, OwnershipStore, AliasStore, ModelLimitsStore, TeamCreation)",
        "access (UserStore, SessionStore, ApiKeyStore, MembershipStore)",
        "ingestion (IngestionWriter)",
        "aggregates and references (BucketStore, AggregateStore, EventReplayStore, ReferenceStore, Baselines, DriftSettingsStore)",
        "retention (the pruner)",
        "alerting (AlertRuleStore, AlertStore, SilenceStore, DeliveryStore, NotificationSettingsStore, AlertEvaluator)",
        "health (StorageProbe)",
    ];

    /// <summary>What is on PostgreSQL already (with its own migrations in Storage/Postgres/Migrations).</summary>
    public static IReadOnlyList<string> OnPostgres { get; } = ["the audit log (AuditLog)"];
}
