using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Access;

/// <summary>
/// Who sent a request: an admin key (no team) or a team key, acting for the person who created it
/// (<see cref="CreatedBy"/>: "user:dana", or <see cref="ApiKeyStore.BootstrapPerson"/> for the configured key).
/// </summary>
public sealed record ApiKeyIdentity(string KeyId, string Name, string? TeamId, string CreatedBy)
{
    public bool IsAdmin => TeamId is null;
}

public sealed record IssuedApiKey(string Id, string Name, string? TeamId, string Key);

/// <summary>API keys are random 256-bit secrets, so an unsalted SHA-256 is enough to store them safely.</summary>
public sealed class ApiKeyStore(SqliteConnectionFactory connections, TimeProvider clock)
{
    private const string Insert = "INSERT INTO api_keys (id, team_id, name, key_hash, created_at, created_by) VALUES (@Id, @TeamId, @Name, @Hash, @CreatedAt, @CreatedBy)";
    private const string SelectByHash = "SELECT id AS KeyId, name, team_id AS TeamId, created_by AS CreatedBy FROM api_keys WHERE key_hash = @Hash AND revoked_at IS NULL";
    private const string ExistsByHash = "SELECT COUNT(*) FROM api_keys WHERE key_hash = @Hash";
    private const string Revoke = "UPDATE api_keys SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL";
    private const string SelectKey = "SELECT id AS KeyId, name, team_id AS TeamId, created_by AS CreatedBy, revoked_at AS RevokedAt FROM api_keys WHERE id = @Id";

    // Positive lookups only; revocation clears the cache so a revoked key stops working at once.
    private readonly ConcurrentDictionary<string, ApiKeyIdentity> _cache = new(StringComparer.Ordinal);

    // Bumped by every revocation: a lookup that read its row before a revocation must not cache that row after it.
    private readonly Lock _cacheGate = new();
    private long _generation;

    /// <summary>Test seam: runs after a lookup has read its row and before it caches it.</summary>
    internal Action? AfterRowRead { get; set; }

    /// <summary>The person the operator's configured admin key (Portal:Bootstrap:AdminApiKey) acts for.</summary>
    public const string BootstrapPerson = "system:bootstrap";

    /// <summary>Raised after a revocation commits, with the key id, so open connections of that key can be closed.</summary>
    public event Action<string>? Revoked;

    /// <param name="createdBy">The person the key acts for: the creator's <see cref="Caller.Person"/>.</param>
    public IssuedApiKey Create(string? teamId, string name, string createdBy)
    {
        var id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = "mwk_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        using var connection = connections.Open();
        connection.Execute(Insert, new { Id = id, TeamId = teamId, Name = name, Hash = Hash(key), CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(), CreatedBy = createdBy });
        return new IssuedApiKey(id, name, teamId, key);
    }

    /// <summary>Registers a key whose value the operator chose (Portal:Bootstrap:AdminApiKey); a no-op if it exists.</summary>
    public bool EnsureAdminKey(string key, string name)
    {
        using var connection = connections.Open();
        if (connection.ExecuteScalar<long>(ExistsByHash, new { Hash = Hash(key) }) > 0) return false;
        var id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        connection.Execute(Insert, new { Id = id, TeamId = (string?)null, Name = name, Hash = Hash(key), CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(), CreatedBy = BootstrapPerson });
        return true;
    }

    public ApiKeyIdentity? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 256) return null;
        var hash = Convert.ToHexString(Hash(key));
        if (_cache.TryGetValue(hash, out var cached)) return cached;
        var seen = Interlocked.Read(ref _generation);
        using var connection = connections.Open();
        var found = connection.QuerySingleOrDefault<KeyRow>(SelectByHash, new { Hash = Hash(key) });
        if (found is null) return null;
        AfterRowRead?.Invoke();
        var identity = found.ToIdentity();
        lock (_cacheGate)
        {
            if (_generation == seen) _cache[hash] = identity;
        }
        return identity;
    }

    /// <summary>The key, revoked or not.</summary>
    public ApiKeyIdentity? Find(string keyId)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<KeyRow>(SelectKey, new { Id = keyId })?.ToIdentity();
    }

    /// <summary>The key if it exists and is not revoked (read from the database: for re-checks of long-lived connections).</summary>
    public ApiKeyIdentity? FindActive(string keyId)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<KeyRow>(SelectKey, new { Id = keyId }) is { RevokedAt: null } row ? row.ToIdentity() : null;
    }

    /// <summary>Returns false when the key does not exist or was already revoked.</summary>
    public bool RevokeKey(string keyId)
    {
        using var connection = connections.Open();
        var changed = connection.Execute(Revoke, new { Id = keyId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        // After the update commits, so any lookup that could still have read the old row sees the new generation.
        lock (_cacheGate)
        {
            _generation++;
            _cache.Clear();
        }
        if (changed > 0) Revoked?.Invoke(keyId);
        return changed > 0;
    }

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class KeyRow
    {
        public string KeyId { get; init; } = "";
        public string Name { get; init; } = "";
        public string? TeamId { get; init; }
        public string? CreatedBy { get; init; }
        public long? RevokedAt { get; init; }
        public ApiKeyIdentity ToIdentity() => new(KeyId, Name, TeamId, CreatedBy ?? "system:unattributed");
    }
}
