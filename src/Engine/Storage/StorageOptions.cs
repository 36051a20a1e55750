using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Storage;

/// <summary>How the SQLite database is opened. Bound from ConnectionStrings:Portal and Portal:Storage.</summary>
public sealed class StorageOptions
{
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/portal.db";

    /// <summary>NORMAL is durable across process crashes in WAL mode; FULL also survives power loss.</summary>
    [RegularExpression("^(NORMAL|FULL)$", ErrorMessage = "Portal:Storage:Synchronous must be NORMAL or FULL.")]
    public string Synchronous { get; set; } = "NORMAL";

    [Range(100, 600_000)]
    public int BusyTimeoutMs { get; set; } = 5_000;
}
