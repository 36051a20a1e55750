using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Storage;

/// <summary>Which database holds the portal's data and how it is opened. Bound from ConnectionStrings:Portal and Portal:Storage.</summary>
public sealed class StorageOptions
{
    /// <summary>sqlite (the embedded default) or postgres; checked by <see cref="StorageOptionsValidation"/>.</summary>
    public string Provider { get; set; } = "sqlite";

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/portal.db";

    /// <summary>
    /// FULL (the default) syncs the WAL on every commit, so an acknowledged write survives a power loss. NORMAL survives
    /// a crash of the process but may lose the last commits when the machine loses power; it is faster.
    /// </summary>
    [RegularExpression("^(NORMAL|FULL)$", ErrorMessage = "Portal:Storage:Synchronous must be NORMAL or FULL.")]
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// An optional cap on the database size in megabytes (SQLite's max_page_count). At the cap writes fail as on a
    /// full disk: ingestion answers 503 and the portal reports not ready until space is freed.
    /// </summary>
    [Range(1, 16 * 1024 * 1024, ErrorMessage = "Portal:Storage:MaxSizeMb must be between 1 and 16777216 megabytes.")]
    public int? MaxSizeMb { get; set; }

    [Range(100, 600_000)]
    public int BusyTimeoutMs { get; set; } = 5_000;
}
