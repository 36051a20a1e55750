using System.Security.Cryptography;
using Dapper;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Access;

/// <summary>
/// Server-side sign-in sessions. The cookie only carries the session id, so signing out (which revokes the row) ends
/// every copy of the cookie, and each session has an absolute end however often the sliding cookie is renewed.
/// </summary>
public sealed class SessionStore(SqliteConnectionFactory connections, TimeProvider clock)
{
    private const string Insert = "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (@Id, @UserId, @CreatedAt, @ExpiresAt)";
    private const string SelectActive = """
        SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = @Id AND u.username = @Username AND s.revoked_at IS NULL AND s.expires_at > @Now
        """;
    private const string Revoke = "UPDATE sessions SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL";
    private const string DeleteOld = "DELETE FROM sessions WHERE expires_at <= @Before OR revoked_at <= @Before";

    /// <summary>Starts a session that ends at the latest after <paramref name="absoluteLifetime"/>; returns its id.</summary>
    public string Start(PortalUser user, TimeSpan absoluteLifetime)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        using var connection = connections.Open();
        // Ended sessions older than a day are of no use to anyone: keeps the table bounded by active sessions.
        connection.Execute(DeleteOld, new { Before = now.AddDays(-1).ToUnixTimeMilliseconds() });
        connection.Execute(Insert, new { Id = id, UserId = user.Id, CreatedAt = now.ToUnixTimeMilliseconds(), ExpiresAt = now.Add(absoluteLifetime).ToUnixTimeMilliseconds() });
        return id;
    }

    /// <summary>True while the session exists for that user, is not revoked and has not reached its absolute end.</summary>
    public bool IsActive(string? sessionId, string? username)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(username)) return false;
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(SelectActive, new { Id = sessionId, Username = username, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }) > 0;
    }

    public void End(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId)) return;
        using var connection = connections.Open();
        connection.Execute(Revoke, new { Id = sessionId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}
