using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Alerting;

/// <summary>Alerts and the evaluator's per-series state.</summary>
public sealed class AlertStore(SqliteConnectionFactory connections)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string SelectSeries = """
        SELECT rule_id AS RuleId, model_id AS ModelId, feature AS Feature, state AS State, state_since AS StateSince, active_alert AS ActiveAlert,
               recent AS Recent, evaluations AS Evaluations, last_value AS LastValue, last_error AS LastError, history AS History
        FROM alert_series
        """;
    private const string UpsertSeries = """
        INSERT INTO alert_series (rule_id, model_id, feature, state, state_since, active_alert, recent, evaluations, last_value, last_error, history)
        VALUES (@RuleId, @ModelId, @Feature, @State, @StateSince, @ActiveAlert, @Recent, @Evaluations, @LastValue, @LastError, @History)
        ON CONFLICT (rule_id, model_id, feature) DO UPDATE SET state = excluded.state, state_since = excluded.state_since,
            active_alert = excluded.active_alert, recent = excluded.recent, evaluations = excluded.evaluations,
            last_value = excluded.last_value, last_error = excluded.last_error, history = excluded.history
        """;
    private const string AlertColumns = """
        id AS Id, fingerprint AS Fingerprint, rule_id AS RuleId, rule_name AS RuleName, model_id AS ModelId, team_id AS TeamId, feature AS Feature,
        signal AS Signal, severity AS Severity, status AS Status, labels AS Labels, annotations AS Annotations, value AS Value, threshold AS Threshold,
        created_at AS CreatedAt, starts_at AS StartsAt, ends_at AS EndsAt, acked_by AS AckedBy, acked_at AS AckedAt, ack_comment AS AckComment,
        resolved_by AS ResolvedBy, resolve_comment AS ResolveComment, escalated_at AS EscalatedAt
        """;
    private const string InsertAlert = """
        INSERT INTO alerts (fingerprint, rule_id, rule_name, model_id, team_id, feature, signal, severity, status, labels, annotations, value, threshold, created_at, starts_at)
        VALUES (@Fingerprint, @RuleId, @RuleName, @ModelId, @TeamId, @Feature, @Signal, @Severity, @Status, @Labels, @Annotations, @Value, @Threshold, @CreatedAt, @StartsAt)
        RETURNING id
        """;
    private const string UpdateAlert = """
        UPDATE alerts SET status = @Status, value = @Value, threshold = @Threshold, labels = @Labels, annotations = @Annotations,
            starts_at = COALESCE(@StartsAt, starts_at), ends_at = @EndsAt
        WHERE id = @Id
        """;
    private const string DeleteAlert = "DELETE FROM alerts WHERE id = @Id AND status = 'pending'";
    private const string AcknowledgeSql = "UPDATE alerts SET acked_by = @Actor, acked_at = @At, ack_comment = @Comment WHERE id = @Id AND status <> 'resolved'";
    private const string ResolveByHand = "UPDATE alerts SET status = 'resolved', ends_at = @At, resolved_by = @Actor, resolve_comment = @Comment WHERE id = @Id AND status <> 'resolved'";
    private const string MarkEscalated = "UPDATE alerts SET escalated_at = @At WHERE id = @Id";
    private const string ResetSeriesOfAlert = "UPDATE alert_series SET state = 'normal', state_since = @At, active_alert = NULL, recent = 0 WHERE active_alert = @Id";
    private const string ResolveOfRule = "UPDATE alerts SET status = 'resolved', ends_at = @At, resolved_by = @Actor, resolve_comment = @Comment WHERE rule_id = @RuleId AND status <> 'resolved'";

    public Dictionary<SeriesKey, SeriesState> LoadSeries()
    {
        using var connection = connections.Open();
        var result = new Dictionary<SeriesKey, SeriesState>();
        foreach (var row in connection.Query<SeriesRow>(SelectSeries))
            result[new SeriesKey(row.RuleId, row.ModelId, row.Feature)] = new SeriesState
            {
                State = AlertStates.Parse(row.State),
                StateSince = DateTimeOffset.FromUnixTimeMilliseconds(row.StateSince),
                ActiveAlert = row.ActiveAlert,
                Recent = row.Recent,
                Evaluations = row.Evaluations,
                LastValue = row.LastValue,
                LastError = row.LastError,
                History = row.History is null ? [] : JsonSerializer.Deserialize<List<HistorySample>>(row.History, Json) ?? [],
            };
        return result;
    }

    public void SaveSeries(SqliteConnection connection, SqliteTransaction transaction, SeriesKey key, SeriesState s) =>
        connection.Execute(UpsertSeries, new
        {
            key.RuleId, key.ModelId, key.Feature, State = s.State.ToName(), StateSince = s.StateSince.ToUnixTimeMilliseconds(), s.ActiveAlert,
            s.Recent, s.Evaluations, s.LastValue, s.LastError, History = s.History.Count == 0 ? null : JsonSerializer.Serialize(s.History, Json),
        }, transaction);

    public long Insert(SqliteConnection connection, SqliteTransaction transaction, AlertRecord a) =>
        connection.ExecuteScalar<long>(InsertAlert, new
        {
            a.Fingerprint, a.RuleId, a.RuleName, a.ModelId, a.TeamId, a.Feature, a.Signal, a.Severity, a.Status,
            Labels = JsonSerializer.Serialize(a.Labels, Json), Annotations = JsonSerializer.Serialize(a.Annotations, Json), a.Value, a.Threshold,
            CreatedAt = a.CreatedAt.ToUnixTimeMilliseconds(), StartsAt = a.StartsAt?.ToUnixTimeMilliseconds(),
        }, transaction);

    public void Update(SqliteConnection connection, SqliteTransaction transaction, long id, string status, double? value, string? threshold,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, DateTimeOffset? startsAt, DateTimeOffset? endsAt) =>
        connection.Execute(UpdateAlert, new
        {
            Id = id, Status = status, Value = value, Threshold = threshold, Labels = JsonSerializer.Serialize(labels, Json),
            Annotations = JsonSerializer.Serialize(annotations, Json), StartsAt = startsAt?.ToUnixTimeMilliseconds(), EndsAt = endsAt?.ToUnixTimeMilliseconds(),
        }, transaction);

    public void DeletePending(SqliteConnection connection, SqliteTransaction transaction, long id) => connection.Execute(DeleteAlert, new { Id = id }, transaction);

    public bool Acknowledge(SqliteConnection connection, SqliteTransaction transaction, long id, string actor, string? comment, DateTimeOffset at) =>
        connection.Execute(AcknowledgeSql, new { Id = id, Actor = actor, Comment = comment, At = at.ToUnixTimeMilliseconds() }, transaction) == 1;

    /// <summary>Resolves by hand and sends its series back to normal; if the condition still holds, it goes pending again.</summary>
    public bool Resolve(SqliteConnection connection, SqliteTransaction transaction, long id, string actor, string? comment, DateTimeOffset at)
    {
        var changed = connection.Execute(ResolveByHand, new { Id = id, Actor = actor, Comment = comment, At = at.ToUnixTimeMilliseconds() }, transaction) == 1;
        if (changed) connection.Execute(ResetSeriesOfAlert, new { Id = id, At = at.ToUnixTimeMilliseconds() }, transaction);
        return changed;
    }

    public void ResolveRule(SqliteConnection connection, SqliteTransaction transaction, string ruleId, string actor, DateTimeOffset at) =>
        connection.Execute(ResolveOfRule, new { RuleId = ruleId, Actor = actor, Comment = "rule deleted", At = at.ToUnixTimeMilliseconds() }, transaction);

    public void MarkEscalatedAt(SqliteConnection connection, SqliteTransaction transaction, long id, DateTimeOffset at) =>
        connection.Execute(MarkEscalated, new { Id = id, At = at.ToUnixTimeMilliseconds() }, transaction);

    public AlertRecord? Find(long id)
    {
        using var connection = connections.Open();
        return Find(connection, null, id);
    }

    public AlertRecord? Find(SqliteConnection connection, SqliteTransaction? transaction, long id) =>
        connection.QuerySingleOrDefault<AlertRow>($"SELECT {AlertColumns} FROM alerts WHERE id = @Id", new { Id = id }, transaction)?.ToRecord();

    public IReadOnlyList<AlertRecord> List(AlertFilter filter)
    {
        using var connection = connections.Open();
        return List(connection, null, filter);
    }

    public IReadOnlyList<AlertRecord> List(SqliteConnection connection, SqliteTransaction? transaction, AlertFilter filter)
    {
        var sql = $"""
            SELECT {AlertColumns} FROM alerts
            WHERE (@Status IS NULL OR status = @Status) AND (@Model IS NULL OR model_id = @Model) AND (@Team IS NULL OR team_id = @Team)
              AND (@ResolvedSince IS NULL OR status <> 'resolved' OR ends_at >= @ResolvedSince)
            ORDER BY id DESC LIMIT @Limit
            """;
        return connection.Query<AlertRow>(sql, new { filter.Status, filter.Model, filter.Team, ResolvedSince = filter.ResolvedSince?.ToUnixTimeMilliseconds(), filter.Limit }, transaction)
            .Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Firing alerts by model, for fleet cards and model headers.</summary>
    public IReadOnlyList<(string Model, string Severity, int Count)> FiringByModel()
    {
        using var connection = connections.Open();
        return connection.Query<(string, string, int)>("SELECT model_id, severity, COUNT(*) FROM alerts WHERE status = 'firing' GROUP BY model_id, severity").ToList();
    }

    private sealed class SeriesRow
    {
        public string RuleId { get; init; } = "";
        public string ModelId { get; init; } = "";
        public string Feature { get; init; } = "";
        public string State { get; init; } = "";
        public long StateSince { get; init; }
        public long? ActiveAlert { get; init; }
        public long Recent { get; init; }
        public int Evaluations { get; init; }
        public double? LastValue { get; init; }
        public string? LastError { get; init; }
        public string? History { get; init; }
    }

    private sealed class AlertRow
    {
        public long Id { get; init; }
        public string Fingerprint { get; init; } = "";
        public string RuleId { get; init; } = "";
        public string RuleName { get; init; } = "";
        public string ModelId { get; init; } = "";
        public string? TeamId { get; init; }
        public string? Feature { get; init; }
        public string Signal { get; init; } = "";
        public string Severity { get; init; } = "";
        public string Status { get; init; } = "";
        public string Labels { get; init; } = "{}";
        public string Annotations { get; init; } = "{}";
        public double? Value { get; init; }
        public string? Threshold { get; init; }
        public long CreatedAt { get; init; }
        public long? StartsAt { get; init; }
        public long? EndsAt { get; init; }
        public string? AckedBy { get; init; }
        public long? AckedAt { get; init; }
        public string? AckComment { get; init; }
        public string? ResolvedBy { get; init; }
        public string? ResolveComment { get; init; }
        public long? EscalatedAt { get; init; }

        public AlertRecord ToRecord() => new(Id, Fingerprint, RuleId, RuleName, ModelId, TeamId, Feature, Signal, Severity, Status,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Labels, Json)!, JsonSerializer.Deserialize<Dictionary<string, string>>(Annotations, Json)!,
            Value, Threshold, At(CreatedAt), AtOrNull(StartsAt), AtOrNull(EndsAt), AckedBy, AtOrNull(AckedAt), AckComment, ResolvedBy, ResolveComment, AtOrNull(EscalatedAt));
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    private static DateTimeOffset? AtOrNull(long? ms) => ms is { } v ? At(v) : null;
}
