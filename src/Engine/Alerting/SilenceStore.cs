using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Alerting;

/// <summary>Silences: who may add and expire them, stored with an audit entry each.</summary>
public sealed class SilenceStore(SqliteConnectionFactory connections, RegistryStore registry, AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string Columns = "id AS Id, matchers AS Matchers, starts_at AS StartsAt, ends_at AS EndsAt, comment AS Comment, team_id AS Team, created_by AS CreatedBy, created_at AS CreatedAt, expired_by AS ExpiredBy";
    private const string SelectCurrent = $"SELECT {Columns} FROM alert_silences WHERE ends_at > @Now ORDER BY starts_at, id";
    private const string SelectRecent = $"SELECT {Columns} FROM alert_silences WHERE ends_at > @Since ORDER BY starts_at DESC, id LIMIT 500";
    private const string SelectOne = $"SELECT {Columns} FROM alert_silences WHERE id = @Id";
    private const string Insert = """
        INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, team_id, created_by, created_at)
        VALUES (@Id, @Matchers, @StartsAt, @EndsAt, @Comment, @Team, @Actor, @At)
        """;
    private const string Expire = "UPDATE alert_silences SET ends_at = @Now, expired_by = @Actor WHERE id = @Id AND ends_at > @Now";

    /// <summary>Active and upcoming silences.</summary>
    public IReadOnlyList<Silence> Current()
    {
        using var connection = connections.Open();
        return connection.Query<Row>(SelectCurrent, new { Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }).Select(r => r.ToSilence()).ToList();
    }

    /// <summary>Active, upcoming and those ended in the last day, newest first.</summary>
    public IReadOnlyList<Silence> Recent()
    {
        using var connection = connections.Open();
        return connection.Query<Row>(SelectRecent, new { Since = clock.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds() }).Select(r => r.ToSilence()).ToList();
    }

    public Silence? Find(string id)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<Row>(SelectOne, new { Id = id })?.ToSilence();
    }

    /// <summary>
    /// Admins silence anything. Anyone else must name a model they may write to or a team they belong to with an '='
    /// matcher, and the silence then only covers that team's alerts.
    /// </summary>
    public Outcome<Silence> Add(SilenceSpec spec, Caller caller)
    {
        if (caller.IsReadOnly) return Forbidden("Auditors read everything and change nothing.");
        var now = clock.GetUtcNow();
        var valid = Silence.Validate(spec, now);
        if (!valid.IsOk) return Outcome<Silence>.Invalid(valid.Errors, valid.Message!);
        var (matchers, startsAt, endsAt, comment) = valid.Value;
        string? team = null;
        if (!caller.IsAdmin)
        {
            var model = matchers.Where(m => m is { Label: "model", Op: "=" }).Select(m => registry.FindModel(m.Value)).FirstOrDefault(m => m is not null);
            var teamMatcher = matchers.FirstOrDefault(m => m is { Label: "team", Op: "=" })?.Value;
            if (model is not null && caller.CanWrite(model)) team = model.TeamId;
            else if (teamMatcher is not null && caller.Teams.Contains(teamMatcher)) team = teamMatcher;
            else return Forbidden("Name a model of your team (model = …) or your team (team = …) in the matchers; only admins may silence other teams' alerts.");
        }
        var silence = new Silence("sil_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), matchers, startsAt, endsAt, comment, team, caller.Actor,
            DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), null);
        audit.Write(scope =>
        {
            scope.Connection.Execute(Insert, new
            {
                silence.Id, Matchers = JsonSerializer.Serialize(matchers, Json), StartsAt = startsAt.ToUnixTimeMilliseconds(), EndsAt = endsAt.ToUnixTimeMilliseconds(),
                Comment = comment, Team = team, Actor = caller.Actor, At = now.ToUnixTimeMilliseconds(),
            }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.SilenceAdded, team, After: new { silence.Id, matchers, startsAt, endsAt, comment }, Reason: comment));
            return 0;
        });
        return Outcome<Silence>.Ok(silence);
    }

    public Outcome<Silence> ExpireSilence(string id, Caller caller)
    {
        var silence = Find(id);
        if (silence is null) return Outcome<Silence>.NotFound($"There is no silence '{id}'; list them with GET /api/v1/silences.");
        if (caller.IsReadOnly || !(caller.IsAdmin || silence.CreatedBy == caller.Actor || (silence.Team is { } t && caller.Teams.Contains(t))))
            return Forbidden($"Only an admin, its author or a member of team '{silence.Team ?? "(none)"}' may expire silence '{id}'.");
        var now = clock.GetUtcNow();
        if (silence.Status(now) == "expired") return Outcome<Silence>.Conflict($"Silence '{id}' already ended at {silence.EndsAt:O}.");
        audit.Write(scope =>
        {
            scope.Connection.Execute(Expire, new { Id = id, Now = now.ToUnixTimeMilliseconds(), Actor = caller.Actor }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.SilenceExpired, silence.Team, Before: new { silence.Id, silence.Matchers, silence.StartsAt, silence.EndsAt }));
            return 0;
        });
        return Outcome<Silence>.Ok(Find(id)!);
    }

    private static Outcome<Silence> Forbidden(string message) => new(OutcomeKind.Forbidden, null, [], message);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Matchers { get; init; } = "[]";
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
        public string Comment { get; init; } = "";
        public string? Team { get; init; }
        public string CreatedBy { get; init; } = "";
        public long CreatedAt { get; init; }
        public string? ExpiredBy { get; init; }

        public Silence ToSilence() => new(Id, JsonSerializer.Deserialize<List<Matcher>>(Matchers, Json)!, DateTimeOffset.FromUnixTimeMilliseconds(StartsAt),
            DateTimeOffset.FromUnixTimeMilliseconds(EndsAt), Comment, Team, CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), ExpiredBy);
    }
}
