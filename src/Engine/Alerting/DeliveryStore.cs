using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Alerting;

/// <summary>One notification to one receiver, kept in the outbox until it is sent or given up.</summary>
public sealed record Delivery(long Id, string GroupKey, string Scope, string Receiver, string Kind, string Target, string Reason, string Payload, string Status,
    int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset GiveUpAt, string? LastAnswer, DateTimeOffset? SentAt)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

public sealed record DeliveryAttempt(long DeliveryId, DateTimeOffset At, bool Ok, string Answer);

/// <summary>What the outbox is to send: a receiver, the rendered payload and the alerts it is about.</summary>
public sealed record NewDelivery(string GroupKey, string Scope, string Receiver, string Kind, string Target, string Reason, string Payload, IReadOnlyList<long> AlertIds);

/// <summary>The delivery outbox and its log of attempts.</summary>
public sealed class DeliveryStore(SqliteConnectionFactory connections)
{
    private const string Columns = """
        id AS Id, group_key AS GroupKey, scope AS Scope, receiver AS Receiver, kind AS Kind, target AS Target, reason AS Reason, payload AS Payload, status AS Status,
        attempts AS Attempts, created_at AS CreatedAt, next_attempt_at AS NextAttemptAt, give_up_at AS GiveUpAt, last_answer AS LastAnswer, sent_at AS SentAt
        """;
    private const string Insert = """
        INSERT INTO alert_deliveries (group_key, scope, receiver, kind, target, reason, payload, status, attempts, created_at, next_attempt_at, give_up_at)
        VALUES (@GroupKey, @Scope, @Receiver, @Kind, @Target, @Reason, @Payload, 'pending', 0, @At, @At, @GiveUpAt)
        RETURNING id
        """;
    private const string Link = "INSERT OR IGNORE INTO alert_delivery_alerts (delivery_id, alert_id) VALUES (@DeliveryId, @AlertId)";
    private const string SelectDue = $"SELECT {Columns} FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= @Now ORDER BY next_attempt_at, id LIMIT @Limit";
    private const string SelectNextDue = "SELECT MIN(next_attempt_at) FROM alert_deliveries WHERE status = 'pending'";
    private const string InsertAttempt = "INSERT INTO alert_delivery_attempts (delivery_id, at, ok, answer) VALUES (@Id, @At, @Ok, @Answer)";
    private const string UpdateAfterAttempt = """
        UPDATE alert_deliveries SET status = @Status, attempts = attempts + 1, next_attempt_at = @Next, last_answer = @Answer, sent_at = @SentAt WHERE id = @Id
        """;
    private const string SelectForAlert = $"SELECT {Columns} FROM alert_deliveries WHERE id IN (SELECT delivery_id FROM alert_delivery_alerts WHERE alert_id = @AlertId) ORDER BY id";
    private const string SelectAttempts = "SELECT delivery_id AS DeliveryId, at AS At, ok AS Ok, answer AS Answer FROM alert_delivery_attempts WHERE delivery_id IN @Ids ORDER BY id";
    private const string SelectRecent = $"SELECT {Columns} FROM alert_deliveries WHERE (@Kind IS NULL OR kind = @Kind) AND (@Scope IS NULL OR scope = @Scope) ORDER BY id DESC LIMIT @Limit";
    private const string SelectRecentForTeams = $"""
        SELECT {Columns} FROM alert_deliveries
        WHERE (@Kind IS NULL OR kind = @Kind)
          AND (scope IN @Teams OR id IN (SELECT l.delivery_id FROM alert_delivery_alerts l JOIN alerts a ON a.id = l.alert_id WHERE a.team_id IN @Teams))
        ORDER BY id DESC LIMIT @Limit
        """;
    private const string SelectAlertIds = "SELECT delivery_id AS DeliveryId, alert_id AS AlertId FROM alert_delivery_alerts WHERE delivery_id IN @Ids";

    public long Enqueue(SqliteConnection connection, SqliteTransaction transaction, NewDelivery d, DateTimeOffset at, DateTimeOffset giveUpAt)
    {
        var id = connection.ExecuteScalar<long>(Insert, new { d.GroupKey, d.Scope, d.Receiver, d.Kind, d.Target, d.Reason, d.Payload, At = at.ToUnixTimeMilliseconds(), GiveUpAt = giveUpAt.ToUnixTimeMilliseconds() }, transaction);
        foreach (var alertId in d.AlertIds) connection.Execute(Link, new { DeliveryId = id, AlertId = alertId }, transaction);
        return id;
    }

    public IReadOnlyList<Delivery> Due(DateTimeOffset now, int limit)
    {
        using var connection = connections.Open();
        return connection.Query<Row>(SelectDue, new { Now = now.ToUnixTimeMilliseconds(), Limit = limit }).Select(r => r.ToDelivery()).ToList();
    }

    public DateTimeOffset? NextDue()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long?>(SelectNextDue) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public void RecordAttempt(SqliteConnection connection, SqliteTransaction transaction, long id, DateTimeOffset at, bool ok, string answer, string status, DateTimeOffset next)
    {
        connection.Execute(InsertAttempt, new { Id = id, At = at.ToUnixTimeMilliseconds(), Ok = ok ? 1 : 0, Answer = answer }, transaction);
        connection.Execute(UpdateAfterAttempt, new { Id = id, Status = status, Next = next.ToUnixTimeMilliseconds(), Answer = answer, SentAt = ok ? at.ToUnixTimeMilliseconds() : (long?)null }, transaction);
    }

    /// <summary>Every delivery about an alert with each attempt and its answer: the alert's delivery log.</summary>
    public IReadOnlyList<(Delivery Delivery, IReadOnlyList<DeliveryAttempt> Attempts)> ForAlert(long alertId)
    {
        using var connection = connections.Open();
        var deliveries = connection.Query<Row>(SelectForAlert, new { AlertId = alertId }).Select(r => r.ToDelivery()).ToList();
        return WithAttempts(connection, deliveries);
    }

    /// <summary>The newest deliveries, optionally of one kind (the built-in receiver's list) or one scope.</summary>
    public IReadOnlyList<(Delivery Delivery, IReadOnlyList<DeliveryAttempt> Attempts)> Recent(string? kind, string? scope, int limit)
    {
        using var connection = connections.Open();
        var deliveries = connection.Query<Row>(SelectRecent, new { Kind = kind, Scope = scope, Limit = limit }).Select(r => r.ToDelivery()).ToList();
        return WithAttempts(connection, deliveries);
    }

    /// <summary>The newest deliveries a team member may see: routed by the team's settings, or about the team's alerts (e.g. through the defaults).</summary>
    public IReadOnlyList<(Delivery Delivery, IReadOnlyList<DeliveryAttempt> Attempts)> RecentForTeams(string? kind, IReadOnlyCollection<string> teams, int limit)
    {
        if (teams.Count == 0) return [];
        using var connection = connections.Open();
        var deliveries = connection.Query<Row>(SelectRecentForTeams, new { Kind = kind, Teams = teams, Limit = limit }).Select(r => r.ToDelivery()).ToList();
        return WithAttempts(connection, deliveries);
    }

    public ILookup<long, long> AlertIds(IReadOnlyList<long> deliveryIds)
    {
        if (deliveryIds.Count == 0) return Array.Empty<(long, long)>().ToLookup(x => x.Item1, x => x.Item2);
        using var connection = connections.Open();
        return connection.Query<(long DeliveryId, long AlertId)>(SelectAlertIds, new { Ids = deliveryIds }).ToLookup(x => x.DeliveryId, x => x.AlertId);
    }

    private static List<(Delivery, IReadOnlyList<DeliveryAttempt>)> WithAttempts(SqliteConnection connection, List<Delivery> deliveries)
    {
        if (deliveries.Count == 0) return [];
        var attempts = connection.Query<AttemptRow>(SelectAttempts, new { Ids = deliveries.Select(d => d.Id).ToList() })
            .Select(a => new DeliveryAttempt(a.DeliveryId, DateTimeOffset.FromUnixTimeMilliseconds(a.At), a.Ok != 0, a.Answer)).ToLookup(a => a.DeliveryId);
        return deliveries.Select(d => (d, (IReadOnlyList<DeliveryAttempt>)attempts[d.Id].ToList())).ToList();
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string GroupKey { get; init; } = "";
        public string Scope { get; init; } = "";
        public string Receiver { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Target { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Payload { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public long CreatedAt { get; init; }
        public long NextAttemptAt { get; init; }
        public long GiveUpAt { get; init; }
        public string? LastAnswer { get; init; }
        public long? SentAt { get; init; }

        public Delivery ToDelivery() => new(Id, GroupKey, Scope, Receiver, Kind, Target, Reason, Payload, Status, Attempts, At(CreatedAt), At(NextAttemptAt), At(GiveUpAt),
            LastAnswer, SentAt is { } s ? At(s) : null);
    }

    private sealed class AttemptRow
    {
        public long DeliveryId { get; init; }
        public long At { get; init; }
        public long Ok { get; init; }
        public string Answer { get; init; } = "";
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
