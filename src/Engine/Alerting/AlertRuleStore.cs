using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Alerting;

/// <summary>Alert rules, stored as their normalised spec. Version moves on every change so the evaluator reloads only then.</summary>
public sealed class AlertRuleStore(SqliteConnectionFactory connections)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private const string Columns = "id AS Id, spec AS Spec, created_by AS CreatedBy, created_at AS CreatedAt, updated_by AS UpdatedBy, updated_at AS UpdatedAt";
    private const string SelectAll = $"SELECT {Columns} FROM alert_rules ORDER BY created_at, id";
    private const string SelectOne = $"SELECT {Columns} FROM alert_rules WHERE id = @Id";
    private const string InsertRule = """
        INSERT INTO alert_rules (id, model_id, team_id, spec, created_by, created_at, updated_by, updated_at)
        VALUES (@Id, @Model, @Team, @Spec, @Actor, @At, @Actor, @At)
        """;
    private const string UpdateRule = "UPDATE alert_rules SET model_id = @Model, team_id = @Team, spec = @Spec, updated_by = @Actor, updated_at = @At WHERE id = @Id";
    private const string DeleteRule = "DELETE FROM alert_rules WHERE id = @Id";
    private const string DeleteSeries = "DELETE FROM alert_series WHERE rule_id = @Id";

    private long _version;

    /// <summary>Bumped on every change; the evaluator compares it to reload its rules.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<StoredAlertRule> All()
    {
        using var connection = connections.Open();
        return connection.Query<Row>(SelectAll).Select(ToStored).OfType<StoredAlertRule>().ToList();
    }

    public StoredAlertRule? Find(string id)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<Row>(SelectOne, new { Id = id });
        return row is null ? null : ToStored(row);
    }

    public void Insert(SqliteConnection connection, SqliteTransaction transaction, AlertRule rule, string actor, DateTimeOffset at)
    {
        connection.Execute(InsertRule, Params(rule, actor, at), transaction);
        Interlocked.Increment(ref _version);
    }

    public void Update(SqliteConnection connection, SqliteTransaction transaction, AlertRule rule, string actor, DateTimeOffset at)
    {
        connection.Execute(UpdateRule, Params(rule, actor, at), transaction);
        // A changed rule starts its series afresh: the old verdicts were about another condition.
        connection.Execute(DeleteSeries, new { rule.Id }, transaction);
        Interlocked.Increment(ref _version);
    }

    public void Delete(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        connection.Execute(DeleteRule, new { Id = id }, transaction);
        connection.Execute(DeleteSeries, new { Id = id }, transaction);
        Interlocked.Increment(ref _version);
    }

    public static string SpecJson(AlertRule rule) => JsonSerializer.Serialize(rule.ToSpec(), Json);

    private static object Params(AlertRule rule, string actor, DateTimeOffset at) =>
        new { rule.Id, rule.Model, rule.Team, Spec = SpecJson(rule), Actor = actor, At = at.ToUnixTimeMilliseconds() };

    private static StoredAlertRule? ToStored(Row row)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>(row.Spec, Json)!;
        var outcome = RuleValidation.Validate(row.Id, spec, registry: null);
        return outcome.IsOk
            ? new StoredAlertRule(outcome.Value!, row.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), row.UpdatedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt))
            : null;
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Spec { get; init; } = "";
        public string CreatedBy { get; init; } = "";
        public long CreatedAt { get; init; }
        public string UpdatedBy { get; init; } = "";
        public long UpdatedAt { get; init; }
    }
}
