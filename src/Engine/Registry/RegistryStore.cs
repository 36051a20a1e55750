using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Registry;

/// <summary>Teams, models and versions. Model definitions are cached because every ingested batch needs one.</summary>
public sealed class RegistryStore(SqliteConnectionFactory connections, TimeProvider clock)
{
    private const string InsertTeam = "INSERT INTO teams (id, name, created_at) VALUES (@Id, @Name, @CreatedAt)";
    private const string SelectTeams = "SELECT id, name, created_at AS CreatedAt FROM teams ORDER BY id";
    private const string SelectTeam = "SELECT id, name, created_at AS CreatedAt FROM teams WHERE id = @Id";
    private const string InsertModel = """
        INSERT INTO models (id, name, task, team_id, features, decision_threshold, latency_slo_ms, monthly_budget_usd, created_at)
        VALUES (@Id, @Name, @Task, @TeamId, @Features, @DecisionThreshold, @LatencySloMs, @MonthlyBudgetUsd, @CreatedAt);
        INSERT INTO model_stats (model_pk) VALUES (last_insert_rowid());
        """;
    private const string SelectModels = """
        SELECT pk, id, name, task, team_id AS TeamId, features, decision_threshold AS DecisionThreshold,
               latency_slo_ms AS LatencySloMs, monthly_budget_usd AS MonthlyBudgetUsd, created_at AS CreatedAt
        FROM models
        """;
    private const string SelectVersionKeys = "SELECT model_pk AS ModelPk, version, pk FROM model_versions";
    private const string InsertVersion = """
        INSERT INTO model_versions (model_pk, version, hyperparameters, training_data, metrics, created_by, created_at)
        VALUES (@ModelPk, @Version, @Hyperparameters, @TrainingData, @Metrics, @CreatedBy, @CreatedAt)
        """;
    private const string SelectVersions = """
        SELECT v.version, v.hyperparameters, v.training_data AS TrainingData, v.metrics, v.created_by AS CreatedBy, v.created_at AS CreatedAt,
               (SELECT COUNT(*) FROM reference_rows r WHERE r.version_pk = v.pk) AS ReferenceRows
        FROM model_versions v WHERE v.model_pk = @ModelPk ORDER BY v.created_at, v.pk
        """;
    private const string SelectStats = "SELECT predictions, labels, duplicates, last_event_at AS LastEventAt, labels_too_late AS LabelsTooLate FROM model_stats WHERE model_pk = @ModelPk";

    private static readonly JsonSerializerOptions FeatureJson = new(JsonSerializerDefaults.Web);
    private volatile IReadOnlyDictionary<string, ModelDefinition>? _models;
    private readonly Lock _reload = new();

    /// <summary>Creates a team without an audit entry (demo seeding, tests); people create teams through <see cref="TeamCreation"/>.</summary>
    public Outcome<Team> CreateTeam(NewTeam request)
    {
        using var connection = connections.Open();
        return CreateTeam(request, connection, null);
    }

    /// <summary>Creates a team inside the caller's transaction, so the entry that records it commits or rolls back with it.</summary>
    internal Outcome<Team> CreateTeam(NewTeam request, SqliteConnection connection, SqliteTransaction? transaction)
    {
        var errors = new List<FieldError>();
        if (!Slug.IsValid(request.Id)) errors.Add(new("id", $"'id' must be {Slug.Rule}."));
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200) errors.Add(new("name", "'name' is required (at most 200 characters)."));
        if (errors.Count > 0) return Outcome<Team>.Invalid(errors);

        var team = new Team(request.Id!, request.Name!.Trim(), clock.GetUtcNow());
        try
        {
            connection.Execute(InsertTeam, new { team.Id, team.Name, CreatedAt = team.CreatedAt.ToUnixTimeMilliseconds() }, transaction);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return Outcome<Team>.Conflict($"A team with id '{team.Id}' already exists.");
        }
        return Outcome<Team>.Ok(team);
    }

    public IReadOnlyList<Team> ListTeams()
    {
        using var connection = connections.Open();
        return connection.Query<TeamRow>(SelectTeams).Select(r => r.ToTeam()).ToList();
    }

    public Team? FindTeam(string id)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<TeamRow>(SelectTeam, new { Id = id })?.ToTeam();
    }

    public Outcome<ModelDefinition> CreateModel(NewModel request)
    {
        var errors = ModelValidation.Validate(request, out var task, out var features);
        if (errors.Count > 0) return Outcome<ModelDefinition>.Invalid(errors);
        if (request.Team is not null && FindTeam(request.Team) is null)
            return Outcome<ModelDefinition>.Invalid("team", $"Team '{request.Team}' does not exist; create it first with POST /api/v1/teams.");

        using var connection = connections.Open();
        try
        {
            connection.Execute(InsertModel, new
            {
                request.Id,
                Name = request.Name!.Trim(),
                Task = task.ToName(),
                TeamId = request.Team,
                Features = JsonSerializer.Serialize(features, FeatureJson),
                DecisionThreshold = request.DecisionThreshold ?? 0.5,
                request.LatencySloMs,
                request.MonthlyBudgetUsd,
                CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return Outcome<ModelDefinition>.Conflict($"A model with id '{request.Id}' already exists.");
        }
        Invalidate();
        return Outcome<ModelDefinition>.Ok(FindModel(request.Id!)!);
    }

    public ModelDefinition? FindModel(string id) => Models().GetValueOrDefault(id);

    public IReadOnlyList<ModelDefinition> ListModels() => Models().Values.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();

    public Outcome<ModelVersionInfo> CreateVersion(string modelId, NewVersion request, string? createdBy)
    {
        var model = FindModel(modelId);
        if (model is null) return Outcome<ModelVersionInfo>.NotFound($"Model '{modelId}' is not registered.");
        var errors = new List<FieldError>();
        var version = request.Version?.Trim();
        if (string.IsNullOrEmpty(version))
            errors.Add(new("version", $"'version' is required: {VersionName.Rule}."));
        else if (!VersionName.IsValid(version))
            errors.Add(new("version", $"'version' {VersionName.Quote(version)} cannot be used: it appears in URLs, so it must be {VersionName.Rule}."));
        if (request.Hyperparameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add(new("hyperparameters", "'hyperparameters' must be a JSON object."));
        if (request.Metrics is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add(new("metrics", "'metrics' must be a JSON object of metric name to number."));
        if (errors.Count > 0) return Outcome<ModelVersionInfo>.Invalid(errors);

        var now = clock.GetUtcNow();
        var hyperparameters = RawObject(request.Hyperparameters);
        var metrics = RawObject(request.Metrics);
        using var connection = connections.Open();
        try
        {
            connection.Execute(InsertVersion, new
            {
                ModelPk = model.Pk,
                Version = version,
                Hyperparameters = hyperparameters,
                request.TrainingData,
                Metrics = metrics,
                CreatedBy = createdBy,
                CreatedAt = now.ToUnixTimeMilliseconds(),
            });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return Outcome<ModelVersionInfo>.Conflict($"Model '{modelId}' already has a version '{version}'.");
        }
        Invalidate();
        return Outcome<ModelVersionInfo>.Ok(new ModelVersionInfo(modelId, version!, hyperparameters, request.TrainingData, metrics, createdBy, now, 0));
    }

    public IReadOnlyList<ModelVersionInfo> ListVersions(ModelDefinition model)
    {
        using var connection = connections.Open();
        return connection.Query<VersionRow>(SelectVersions, new { ModelPk = model.Pk })
            .Select(r => new ModelVersionInfo(model.Id, r.Version, r.Hyperparameters, r.TrainingData, r.Metrics, r.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), (int)r.ReferenceRows))
            .ToList();
    }

    public ModelIngestionStats GetStats(ModelDefinition model)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<StatsRow>(SelectStats, new { ModelPk = model.Pk });
        return row is null
            ? new ModelIngestionStats(0, 0, 0, null)
            : new ModelIngestionStats(row.Predictions, row.Labels, row.Duplicates, row.LastEventAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, row.LabelsTooLate);
    }

    /// <summary>Drops the cached definitions; the next read reloads them from the database.</summary>
    public void Invalidate() => _models = null;

    private IReadOnlyDictionary<string, ModelDefinition> Models()
    {
        if (_models is { } cached) return cached;
        lock (_reload)
        {
            if (_models is { } again) return again;
            using var connection = connections.Open();
            var versions = connection.Query<VersionKeyRow>(SelectVersionKeys).ToLookup(v => v.ModelPk);
            var loaded = connection.Query<ModelRow>(SelectModels).Select(r => r.ToDefinition(versions[r.Pk])).ToDictionary(m => m.Id, StringComparer.Ordinal);
            _models = loaded;
            return loaded;
        }
    }

    private static string RawObject(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e ? e.GetRawText() : "{}";

    private sealed class TeamRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public long CreatedAt { get; init; }
        public Team ToTeam() => new(Id, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    private sealed class ModelRow
    {
        public long Pk { get; init; }
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Task { get; init; } = "";
        public string? TeamId { get; init; }
        public string Features { get; init; } = "[]";
        public double DecisionThreshold { get; init; }
        public double? LatencySloMs { get; init; }
        public double? MonthlyBudgetUsd { get; init; }
        public long CreatedAt { get; init; }

        public ModelDefinition ToDefinition(IEnumerable<VersionKeyRow> versions)
        {
            ModelTaskNames.TryParse(Task, out var task);
            return new ModelDefinition(Pk, Id, Name, task, TeamId,
                JsonSerializer.Deserialize<List<FeatureSpec>>(Features, FeatureJson) ?? [],
                DecisionThreshold, LatencySloMs, MonthlyBudgetUsd, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
                versions.ToDictionary(v => v.Version, v => v.Pk, StringComparer.Ordinal));
        }
    }

    private sealed class VersionKeyRow
    {
        public long ModelPk { get; init; }
        public string Version { get; init; } = "";
        public long Pk { get; init; }
    }

    private sealed class VersionRow
    {
        public string Version { get; init; } = "";
        public string Hyperparameters { get; init; } = "{}";
        public string? TrainingData { get; init; }
        public string Metrics { get; init; } = "{}";
        public string? CreatedBy { get; init; }
        public long CreatedAt { get; init; }
        public long ReferenceRows { get; init; }
    }

    private sealed class StatsRow
    {
        public long Predictions { get; init; }
        public long Labels { get; init; }
        public long Duplicates { get; init; }
        public long? LastEventAt { get; init; }
        public long LabelsTooLate { get; init; }
    }
}
