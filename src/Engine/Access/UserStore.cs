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

public sealed record SignInResult(SignInStatus Status, PortalUser? User, DateTimeOffset? LockedUntil = null);

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
    private const string RecordFailure = "UPDATE users SET failed_sign_ins = @Failed, locked_until = @LockedUntil WHERE id = @Id";
    private const string RecordSuccess = "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @Id";

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

    public SignInResult CheckPassword(string username, string password)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<UserRow>(SelectUser, new { Username = username });
        if (row is null)
        {
            // Hash anyway so that response time does not reveal which usernames exist.
            _hasher.VerifyHashedPassword(username, DummyHash.Value, password);
            return new SignInResult(SignInStatus.Failed, null);
        }
        var now = clock.GetUtcNow();
        if (row.LockedUntil is { } until && until > now.ToUnixTimeMilliseconds())
            return new SignInResult(SignInStatus.LockedOut, null, DateTimeOffset.FromUnixTimeMilliseconds(until));

        var verdict = _hasher.VerifyHashedPassword(row.Username, row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failed = row.FailedSignIns + 1;
            long? lockedUntil = failed >= MaxFailedSignIns ? now.Add(LockoutDuration).ToUnixTimeMilliseconds() : null;
            connection.Execute(RecordFailure, new { Failed = lockedUntil is null ? failed : 0, LockedUntil = lockedUntil, row.Id });
            return lockedUntil is { } l
                ? new SignInResult(SignInStatus.LockedOut, null, DateTimeOffset.FromUnixTimeMilliseconds(l))
                : new SignInResult(SignInStatus.Failed, null);
        }
        connection.Execute(RecordSuccess, new { row.Id });
        return new SignInResult(SignInStatus.Succeeded, ToUser(connection, row));
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
