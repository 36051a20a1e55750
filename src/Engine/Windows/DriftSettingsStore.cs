using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>Drift settings per model, changed together with their audit entry; read on every summary, so cached.</summary>
public sealed class DriftSettingsStore(SqliteConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    private const string Select = "SELECT settings FROM drift_settings WHERE model_pk = @ModelPk";
    private const string Upsert = """
        INSERT INTO drift_settings (model_pk, settings, updated_by, updated_at) VALUES (@ModelPk, @Settings, @UpdatedBy, @UpdatedAt)
        ON CONFLICT (model_pk) DO UPDATE SET settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly ConcurrentDictionary<long, DriftSettings> _cache = new();

    public DriftSettings Get(ModelDefinition model) => _cache.GetOrAdd(model.Pk, pk =>
    {
        using var connection = connections.Open();
        var stored = connection.QuerySingleOrDefault<string>(Select, new { ModelPk = pk });
        return stored is null ? DriftSettings.Default : JsonSerializer.Deserialize<DriftSettings>(stored, Json) ?? DriftSettings.Default;
    });

    public Outcome<DriftSettings> Set(ModelDefinition model, DriftSettings settings, Caller caller, string? reason)
    {
        if (!caller.CanWrite(model)) return new Outcome<DriftSettings>(OutcomeKind.Forbidden, null, [], $"Only the owning team or an admin may change the drift settings of '{model.Id}'.");
        var errors = settings.Validate(model, clock.GetUtcNow(), TimeSpan.FromDays(TierRetention.Default.Days(Tier.Hour)));
        if (errors.Count > 0) return Outcome<DriftSettings>.Invalid(errors, errors.Count == 1 ? errors[0].Reason : $"{errors.Count} drift settings are invalid.");

        var before = Get(model);
        audit.Write(scope =>
        {
            scope.Connection.Execute(Upsert, new { ModelPk = model.Pk, Settings = JsonSerializer.Serialize(settings, Json), UpdatedBy = caller.Actor, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.DriftSettingsChanged, model.TeamId, model.Id, Before: before, After: settings, Reason: reason));
            return 0;
        });
        _cache[model.Pk] = settings;
        return Outcome<DriftSettings>.Ok(settings);
    }
}
