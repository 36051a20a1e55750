using System.Text.Json;
using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Alerting;

/// <summary>Notification settings per team, and the admins' defaults under scope "*".</summary>
public sealed class NotificationSettingsStore(SqliteConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private const string Select = "SELECT settings FROM alert_notification_settings WHERE scope = @Scope";
    private const string SelectAll = "SELECT scope AS Scope, settings AS Settings FROM alert_notification_settings";
    private const string Upsert = """
        INSERT INTO alert_notification_settings (scope, settings, updated_by, updated_at) VALUES (@Scope, @Settings, @Actor, @At)
        ON CONFLICT (scope) DO UPDATE SET settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """;

    /// <summary>The stored settings of a scope, or null when none were set.</summary>
    public NotificationSettings? Get(string scope)
    {
        using var connection = connections.Open();
        var json = connection.QuerySingleOrDefault<string>(Select, new { Scope = scope });
        return json is null ? null : Parse(json);
    }

    /// <summary>Every scope's settings at once, for one dispatch round.</summary>
    public Dictionary<string, NotificationSettings> All()
    {
        using var connection = connections.Open();
        return connection.Query<(string Scope, string Settings)>(SelectAll).ToDictionary(r => r.Scope, r => Parse(r.Settings));
    }

    /// <summary>Admins, or a lead of the team, replace the settings; the change is audited with before and after.</summary>
    public Outcome<NotificationSettings> Set(string scope, NotificationSettingsSpec spec, Caller caller)
    {
        var allowed = scope == NotificationSettings.DefaultScope ? caller.IsAdmin : caller.CanManageTeam(scope);
        if (!allowed || caller.IsReadOnly)
            return new(OutcomeKind.Forbidden, null, [], scope == NotificationSettings.DefaultScope
                ? "Only an admin may set the default receivers for models without an owner."
                : $"Only an admin or a lead of team '{scope}' may change its notification settings.");
        var outcome = NotificationSettings.Validate(spec);
        if (!outcome.IsOk) return outcome;
        var settings = outcome.Value!;
        audit.Write(scope1 =>
        {
            var before = scope1.Connection.QuerySingleOrDefault<string>(Select, new { Scope = scope }, scope1.Transaction);
            var json = JsonSerializer.Serialize(settings.ToSpec(), Json);
            scope1.Connection.Execute(Upsert, new { Scope = scope, Settings = json, Actor = caller.Actor, At = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope1.Transaction);
            scope1.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.NotificationsChanged, scope == NotificationSettings.DefaultScope ? null : scope,
                Before: before is null ? null : JsonSerializer.Deserialize<JsonElement>(before), After: settings.ToSpec()));
            return 0;
        });
        return Outcome<NotificationSettings>.Ok(settings);
    }

    private static NotificationSettings Parse(string json) =>
        NotificationSettings.Validate(JsonSerializer.Deserialize<NotificationSettingsSpec>(json, Json)!).Value ?? NotificationSettings.Default;
}
