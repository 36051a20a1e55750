using Dapper;
using Microsoft.AspNetCore.Identity;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Access;

public static class Roles
{
    public const string Admin = "Admin";
    public const string DataScientist = "DataScientist";
    public const string OpsEngineer = "OpsEngineer";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All = [Admin, DataScientist, OpsEngineer, Auditor];

    /// <summary>Admins and auditors see every team's models; everyone else only their teams'.</summary>
    public static bool SeesAllTeams(string role) => role is Admin or Auditor;
}

public sealed record TeamMembership(string TeamId, string Role);

public sealed record PortalUser(long Id, string Username, string DisplayName, string Role, IReadOnlyList<TeamMembership> Teams);

public enum SignInStatus { Succeeded, Failed, LockedOut }

/// <param name="Account">The stored username when the name matched an account (even on failure); null for an unknown user.</param>
public sealed record SignInResult(SignInStatus Status, PortalUser? User, DateTimeOffset? LockedUntil = null, string? Account = null);

/// <summary>Local users, their teams and password checks with lockout after repeated failures.</summary>
public sealed class UserStore(SqliteConnectionFactory connections, TimeProvider clock)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string InsertUser = """
        INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (@Username, @DisplayName, @Role, @PasswordHash, @CreatedAt);
        SELECT last_insert_rowid();
        """;
    private const string UpsertMember = """
        INSERT INTO team_members (team_id, user_id, role) VALUES (@TeamId, @UserId, @Role)
        ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role
        """;
    private const string SelectUser = "SELECT id, username, display_name AS DisplayName, role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns, locked_until AS LockedUntil FROM users WHERE username = @Username";
    private const string SelectMemberships = "SELECT team_id AS TeamId, role FROM team_members WHERE user_id = @UserId ORDER BY team_id";
    // One statement, so concurrent attempts cannot read the same count: an expired lock starts a fresh count,
    // a live lock or all slots taken returns no row.
    private const string ReserveAttempt = """
        INSERT INTO sign_in_failures (user_id, address, failed, locked_until) VALUES (@UserId, @Address, 1, NULL)
        ON CONFLICT (user_id, address) DO UPDATE SET
            failed = CASE WHEN sign_in_failures.locked_until IS NOT NULL AND sign_in_failures.locked_until <= @Now THEN 1 ELSE sign_in_failures.failed + 1 END,
            locked_until = CASE WHEN sign_in_failures.locked_until <= @Now THEN NULL ELSE sign_in_failures.locked_until END
        WHERE (sign_in_failures.locked_until IS NULL AND sign_in_failures.failed < @Max) OR sign_in_failures.locked_until <= @Now
        RETURNING failed
        """;
    private const string SelectLockedUntil = "SELECT locked_until FROM sign_in_failures WHERE user_id = @UserId AND address = @Address";
    private const string Lock = "UPDATE sign_in_failures SET failed = 0, locked_until = @LockedUntil WHERE user_id = @UserId AND address = @Address";
    private const string ClearFailures = "DELETE FROM sign_in_failures WHERE user_id = @UserId AND address = @Address";

    private readonly PasswordHasher<string> _hasher = new();

    public PortalUser? Find(string username)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<UserRow>(SelectUser, new { Username = username });
        return row is null ? null : ToUser(connection, row);
    }

    public bool Exists(string username) => Find(username) is not null;

    public Outcome<PortalUser> Create(string username, string displayName, string role, string password, IEnumerable<TeamMembership> teams)
    {
        if (!Roles.All.Contains(role)) return Outcome<PortalUser>.Invalid("role", $"'role' must be one of {string.Join(", ", Roles.All)}.");
        if (string.IsNullOrWhiteSpace(username) || username.Length > 64) return Outcome<PortalUser>.Invalid("username", "'username' is required (at most 64 characters).");
        if (password.Length < 8) return Outcome<PortalUser>.Invalid("password", "A password needs at least 8 characters.");
        if (Exists(username)) return Outcome<PortalUser>.Conflict($"User '{username}' already exists.");

        using var connection = connections.Open();
        using var transaction = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>(InsertUser, new
        {
            Username = username,
            DisplayName = displayName,
            Role = role,
            PasswordHash = _hasher.HashPassword(username, password),
            CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, transaction);
        foreach (var team in teams)
            connection.Execute(UpsertMember, new { team.TeamId, UserId = id, team.Role }, transaction);
        transaction.Commit();
        return Outcome<PortalUser>.Ok(Find(username)!);
    }

    /// <summary>
    /// Checks a password. Failures count per account and client address: each attempt first reserves one of the
    /// <see cref="MaxFailedSignIns"/> slots atomically (so parallel guesses evaluate at most that many), and the fifth
    /// failure locks that address out of the account for <see cref="LockoutDuration"/>. The owner at another address
    /// still signs in; per-address rate limiting in front of this takes the load of a flood.
    /// </summary>
    public SignInResult CheckPassword(string username, string password, string? address = null)
    {
        address = string.IsNullOrEmpty(address) ? "local" : address;
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<UserRow>(SelectUser, new { Username = username });
        if (row is null)
        {
            // Hash anyway so that response time does not reveal which usernames exist.
            _hasher.VerifyHashedPassword(username, DummyHash.Value, password);
            return new SignInResult(SignInStatus.Failed, null);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var slot = connection.QuerySingleOrDefault<long?>(ReserveAttempt, new { UserId = row.Id, Address = address, Now = now, Max = MaxFailedSignIns });
        if (slot is null)
        {
            _hasher.VerifyHashedPassword(username, DummyHash.Value, password); // same cost as an evaluated attempt
            var until = connection.QuerySingleOrDefault<long?>(SelectLockedUntil, new { UserId = row.Id, Address = address });
            return new SignInResult(SignInStatus.LockedOut, null, until is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null, row.Username);
        }

        var verdict = _hasher.VerifyHashedPassword(row.Username, row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (slot < MaxFailedSignIns) return new SignInResult(SignInStatus.Failed, null, null, row.Username);
            var lockedUntil = now + (long)LockoutDuration.TotalMilliseconds;
            connection.Execute(Lock, new { UserId = row.Id, Address = address, LockedUntil = lockedUntil });
            return new SignInResult(SignInStatus.LockedOut, null, DateTimeOffset.FromUnixTimeMilliseconds(lockedUntil), row.Username);
        }
        connection.Execute(ClearFailures, new { UserId = row.Id, Address = address });
        return new SignInResult(SignInStatus.Succeeded, ToUser(connection, row), null, row.Username);
    }

    private static PortalUser ToUser(System.Data.IDbConnection connection, UserRow row) =>
        new(row.Id, row.Username, row.DisplayName, row.Role, connection.Query<MemberRow>(SelectMemberships, new { UserId = row.Id }).Select(m => new TeamMembership(m.TeamId, m.Role)).ToList());

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<string>().HashPassword("nobody", Guid.NewGuid().ToString()));

    private sealed class UserRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string Role { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public long FailedSignIns { get; init; }
        public long? LockedUntil { get; init; }
    }

    private sealed class MemberRow
    {
        public string TeamId { get; init; } = "";
        public string Role { get; init; } = "";
    }
}
