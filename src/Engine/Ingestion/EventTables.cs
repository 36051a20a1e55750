using System.Text;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Registry;
using SQLitePCL;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// The writer's side of the event tables: one prepared command per statement, reused with new parameter values
/// for every row. Lives on the writer thread only. The prediction insert, the hottest statement, is a raw SQLite
/// statement bound by position: SqliteCommand looks every parameter up by name on each execution, which cost about
/// a third of the writer's time at 1,000-event batches.
/// </summary>
internal sealed class EventTables : IDisposable
{
    private const string InsertPrediction = """
        INSERT OR IGNORE INTO predictions (model_pk, event_id, ts, version_pk, features, prediction_num, prediction_text, probabilities, latency_ms, cost_usd, is_error)
        VALUES ($model, $id, $ts, $version, $features, $num, $text, $probs, $latency, $cost, $error)
        """;
    private const string UpdateStats = """
        UPDATE model_stats SET predictions = predictions + $accepted, duplicates = duplicates + $duplicates, labels = labels + $labels,
               last_event_at = CASE WHEN $last IS NOT NULL AND (last_event_at IS NULL OR $last > last_event_at) THEN $last ELSE last_event_at END
        WHERE model_pk = $model
        """;
    private const string LabelExists = "SELECT 1 FROM labels WHERE model_pk = $model AND prediction_id = $id";
    private const string UpsertLabel = """
        INSERT INTO labels (model_pk, prediction_id, label_num, label_text, ts, seq) VALUES ($model, $id, $num, $text, $ts, $seq)
        ON CONFLICT (model_pk, prediction_id) DO UPDATE SET label_num = excluded.label_num, label_text = excluded.label_text, ts = excluded.ts
        """;
    private const string SelectPredicted = "SELECT ts, version_pk, prediction_num, prediction_text FROM predictions WHERE model_pk = $model AND event_id = $id";
    private const string SelectLabel = "SELECT label_num, label_text FROM labels WHERE model_pk = $model AND prediction_id = $id";
    // The labels still waiting for their prediction are found a slice at a time, in key order, between commits: one
    // scan of every stored label (44 s with 5M labels) must not hold the first write after a restart.
    private const string SelectLabelSlice = """
        SELECT l.model_pk, l.prediction_id, l.ts, EXISTS (SELECT 1 FROM predictions p WHERE p.model_pk = l.model_pk AND p.event_id = l.prediction_id)
        FROM labels l WHERE (l.model_pk, l.prediction_id) > ($model, $id) ORDER BY l.model_pk, l.prediction_id LIMIT $limit
        """;
    private const string InsertSample = "INSERT INTO operational_samples (model_pk, ts, cpu_percent, memory_mb, gpu_percent, errors, version_pk) VALUES ($model, $ts, $cpu, $memory, $gpu, $errors, $version)";
    private const string InsertCost = "INSERT INTO cost_records (model_pk, ts, amount_usd, item) VALUES ($model, $ts, $amount, $item)";
    private const string SelectMaxRowId = "SELECT COALESCE(MAX(rowid), 0) FROM predictions";
    private const string SelectMaxLabelSeq = "SELECT COALESCE(MAX(seq), 0) FROM labels";
    private const string SelectWatermark = """
        SELECT (SELECT COALESCE(MAX(rowid), 0) FROM predictions), (SELECT COALESCE(MAX(seq), 0) FROM labels),
               (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples), (SELECT COALESCE(MAX(rowid), 0) FROM cost_records)
        """;
    private const string DeleteReference = "DELETE FROM reference_rows WHERE version_pk = $version";
    private const string InsertReference = """
        INSERT INTO reference_rows (version_pk, row_no, features, prediction_num, prediction_text, label_num, label_text)
        VALUES ($version, $row, $features, $num, $text, $labelNum, $labelText)
        """;

    private readonly SqliteConnection _connection;

    // Labels still waiting for their prediction (with their time), so an arriving prediction is joined without a lookup per row
    // and the pruner finds the ones that waited too long without scanning the labels table.
    private readonly Dictionary<long, Dictionary<string, long>> _unmatchedLabels = [];
    // Where the scan of stored labels got to; null once every stored label has been seen.
    private (long ModelPk, string Id)? _labelScan = (long.MinValue, "");
    private readonly List<SqliteCommand> _all = [];
    private long _labelSeq;
    private readonly sqlite3_stmt _insertPrediction;
    private readonly int _pModel, _pId, _pTs, _pVersion, _pFeatures, _pNum, _pText, _pProbs, _pLatency, _pCost, _pError;
    private readonly SqliteCommand _updateStats, _labelExists, _upsertLabel, _selectPredicted, _selectLabel, _insertSample, _insertCost, _deleteReference, _insertReference, _maxRowId, _labelSlice;

    public EventTables(SqliteConnection connection)
    {
        _connection = connection;
        _insertPrediction = PrepareRaw(InsertPrediction);
        _pModel = Position("$model"); _pId = Position("$id"); _pTs = Position("$ts"); _pVersion = Position("$version"); _pFeatures = Position("$features");
        _pNum = Position("$num"); _pText = Position("$text"); _pProbs = Position("$probs"); _pLatency = Position("$latency"); _pCost = Position("$cost"); _pError = Position("$error");
        _updateStats = Prepare(UpdateStats, "$accepted", "$duplicates", "$labels", "$last", "$model");
        _labelExists = Prepare(LabelExists, "$model", "$id");
        _upsertLabel = Prepare(UpsertLabel, "$model", "$id", "$num", "$text", "$ts", "$seq");
        _selectPredicted = Prepare(SelectPredicted, "$model", "$id");
        _selectLabel = Prepare(SelectLabel, "$model", "$id");
        _labelSlice = Prepare(SelectLabelSlice, "$model", "$id", "$limit");
        using (var seq = _connection.CreateCommand()) { seq.CommandText = SelectMaxLabelSeq; _labelSeq = (long)seq.ExecuteScalar()!; }
        _insertSample = Prepare(InsertSample, "$model", "$ts", "$cpu", "$memory", "$gpu", "$errors", "$version");
        _insertCost = Prepare(InsertCost, "$model", "$ts", "$amount", "$item");
        _deleteReference = Prepare(DeleteReference, "$version");
        _maxRowId = Prepare(SelectMaxRowId);
        _insertReference = Prepare(InsertReference, "$version", "$row", "$features", "$num", "$text", "$labelNum", "$labelText");
    }

    public SqliteConnection Connection => _connection;

    /// <summary>The writer's open transaction (aggregate flushes write their blobs in it).</summary>
    public SqliteTransaction? Transaction { get; private set; }

    public void Enlist(SqliteTransaction? transaction)
    {
        Transaction = transaction;
        foreach (var command in _all) command.Transaction = transaction;
    }

    public WriteReceipt InsertPredictions(ModelDefinition model, IReadOnlyList<PredictionRecord> records, List<PredictionRecord> stored, List<LabeledOutcome> outcomes)
    {
        var statement = _insertPrediction;
        long? last = null;
        Span<byte> id = stackalloc byte[PredictionBatchParser.MaxEventIdLength * 3];
        Check(raw.sqlite3_bind_int64(statement, _pModel, model.Pk));
        foreach (var r in records)
        {
            Check(raw.sqlite3_bind_text(statement, _pId, id[..Encoding.UTF8.GetBytes(r.EventId, id)]));
            Check(raw.sqlite3_bind_int64(statement, _pTs, r.Timestamp));
            Check(raw.sqlite3_bind_int64(statement, _pVersion, r.VersionPk));
            // an empty span would reach SQLite as a null pointer, which binds NULL; the column wants an empty blob
            Check(r.Features.Length == 0 ? raw.sqlite3_bind_zeroblob(statement, _pFeatures, 0) : raw.sqlite3_bind_blob(statement, _pFeatures, r.Features));
            BindOptional(statement, _pNum, r.PredictionNumber);
            BindOptional(statement, _pText, r.PredictionClass);
            BindOptional(statement, _pProbs, r.ProbabilitiesJson);
            BindOptional(statement, _pLatency, r.LatencyMs);
            BindOptional(statement, _pCost, r.CostUsd);
            Check(raw.sqlite3_bind_int(statement, _pError, r.IsError ? 1 : 0));
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            if (raw.sqlite3_changes(_connection.Handle) == 0) continue; // the id is already stored: an idempotent retry
            stored.Add(r);
            if (_unmatchedLabels.TryGetValue(model.Pk, out var waiting) && waiting.Remove(r.EventId)) outcomes.Add(JoinWaitingLabel(model.Pk, r)!);
            else if (_labelScan is not null && JoinWaitingLabel(model.Pk, r) is { } early) outcomes.Add(early); // a stored label the scan has not reached
            if (last is null || r.Timestamp > last) last = r.Timestamp;
        }
        AddStats(model.Pk, accepted: stored.Count, duplicates: records.Count - stored.Count, labels: 0, last);
        return new WriteReceipt(stored.Count, records.Count - stored.Count);
    }

    private void BindOptional(sqlite3_stmt statement, int position, double? value) =>
        Check(value is { } v ? raw.sqlite3_bind_double(statement, position, v) : raw.sqlite3_bind_null(statement, position));

    private void BindOptional(sqlite3_stmt statement, int position, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, position) : raw.sqlite3_bind_text(statement, position, value));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    private sqlite3_stmt PrepareRaw(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement));
        return statement;
    }

    private int Position(string parameter) =>
        raw.sqlite3_bind_parameter_index(_insertPrediction, parameter) is > 0 and var position ? position : throw new InvalidOperationException($"The insert has no parameter {parameter}.");

    public WriteReceipt UpsertLabels(ModelDefinition model, IReadOnlyList<LabelRecord> labels, List<LabeledOutcome> outcomes)
    {
        int matched = 0, added = 0;
        _labelExists.Parameters[0].Value = model.Pk;
        _selectPredicted.Parameters[0].Value = model.Pk;
        var p = _upsertLabel.Parameters;
        p[0].Value = model.Pk;
        foreach (var l in labels)
        {
            _labelExists.Parameters[1].Value = l.PredictionId;
            var isNew = _labelExists.ExecuteScalar() is null;
            if (isNew) added++;
            p[1].Value = l.PredictionId;
            p[2].Value = (object?)l.LabelNumber ?? DBNull.Value;
            p[3].Value = (object?)l.LabelClass ?? DBNull.Value;
            p[4].Value = l.Timestamp;
            p[5].Value = isNew ? ++_labelSeq : 0; // a corrected label keeps its arrival seq (the update leaves seq alone)
            _upsertLabel.ExecuteNonQuery();
            _selectPredicted.Parameters[1].Value = l.PredictionId;
            using var reader = _selectPredicted.ExecuteReader();
            if (reader.Read())
            {
                matched++;
                // A corrected label replaces the stored one; the live aggregates keep the first (documented limitation).
                if (isNew)
                    outcomes.Add(new LabeledOutcome(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3), l.LabelNumber, l.LabelClass));
            }
            else if (isNew)
            {
                Waiting(model.Pk)[l.PredictionId] = l.Timestamp;
            }
        }
        AddStats(model.Pk, accepted: 0, duplicates: 0, labels: added, last: null);
        return new WriteReceipt(labels.Count, Matched: matched, Unmatched: labels.Count - matched);
    }

    public WriteReceipt InsertMetrics(ModelDefinition model, MetricsBatch batch)
    {
        var s = _insertSample.Parameters;
        s[0].Value = model.Pk;
        foreach (var sample in batch.Samples)
        {
            s[1].Value = sample.Timestamp;
            s[2].Value = (object?)sample.CpuPercent ?? DBNull.Value;
            s[3].Value = (object?)sample.MemoryMb ?? DBNull.Value;
            s[4].Value = (object?)sample.GpuPercent ?? DBNull.Value;
            s[5].Value = sample.Errors;
            s[6].Value = (object?)sample.VersionPk ?? DBNull.Value;
            _insertSample.ExecuteNonQuery();
        }
        var c = _insertCost.Parameters;
        c[0].Value = model.Pk;
        foreach (var cost in batch.Costs)
        {
            c[1].Value = cost.Timestamp;
            c[2].Value = cost.AmountUsd;
            c[3].Value = cost.Item;
            _insertCost.ExecuteNonQuery();
        }
        return new WriteReceipt(batch.Samples.Count + batch.Costs.Count);
    }

    /// <summary>A new upload replaces the version's baseline as a whole.</summary>
    public WriteReceipt ReplaceReference(long versionPk, IReadOnlyList<ReferenceRecord> rows)
    {
        _deleteReference.Parameters[0].Value = versionPk;
        _deleteReference.ExecuteNonQuery();
        var p = _insertReference.Parameters;
        p[0].Value = versionPk;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            p[1].Value = i;
            p[2].Value = r.Features;
            p[3].Value = (object?)r.PredictionNumber ?? DBNull.Value;
            p[4].Value = (object?)r.PredictionClass ?? DBNull.Value;
            p[5].Value = (object?)r.LabelNumber ?? DBNull.Value;
            p[6].Value = (object?)r.LabelClass ?? DBNull.Value;
            _insertReference.ExecuteNonQuery();
        }
        return new WriteReceipt(rows.Count);
    }

    public long MaxPredictionRowId() => (long)_maxRowId.ExecuteScalar()!;

    /// <summary>The newest stored row of each kind: after a commit, what the aggregates of that commit cover.</summary>
    public Windows.Watermark CurrentWatermark()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = SelectWatermark;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new Windows.Watermark(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private LabeledOutcome? JoinWaitingLabel(long modelPk, PredictionRecord prediction)
    {
        _selectLabel.Parameters[0].Value = modelPk;
        _selectLabel.Parameters[1].Value = prediction.EventId;
        using var reader = _selectLabel.ExecuteReader();
        if (!reader.Read()) return null;
        return new LabeledOutcome(prediction.Timestamp, prediction.VersionPk, prediction.PredictionNumber, prediction.PredictionClass,
            reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private Dictionary<string, long> Waiting(long modelPk)
    {
        if (!_unmatchedLabels.TryGetValue(modelPk, out var set)) _unmatchedLabels[modelPk] = set = new Dictionary<string, long>(StringComparer.Ordinal);
        return set;
    }

    /// <summary>Up to <paramref name="limit"/> labels still waiting for their prediction whose time is before <paramref name="beforeMs"/>.</summary>
    public List<(long ModelPk, string PredictionId)> WaitingSince(long beforeMs, int limit)
    {
        var expired = new List<(long, string)>();
        foreach (var (modelPk, waiting) in _unmatchedLabels)
            foreach (var (id, ts) in waiting)
            {
                if (ts >= beforeMs) continue;
                expired.Add((modelPk, id));
                if (expired.Count == limit) return expired;
            }
        return expired;
    }

    /// <summary>The pruner deleted a waiting label: its prediction, should it still come, is not joined to it.</summary>
    public void StopWaiting(long modelPk, string predictionId)
    {
        if (_unmatchedLabels.TryGetValue(modelPk, out var waiting)) waiting.Remove(predictionId);
    }

    /// <summary>True until every label stored before this start has been looked at (predictions then look labels up per row).</summary>
    public bool ScanningLabels => _labelScan is not null;

    /// <summary>Notes the waiting labels (with their time) among the next <paramref name="limit"/> stored labels, in key order; outside a transaction.</summary>
    public void ScanLabels(int limit)
    {
        if (_labelScan is not { } from) return;
        var p = _labelSlice.Parameters;
        p[0].Value = from.ModelPk;
        p[1].Value = from.Id;
        p[2].Value = limit;
        var seen = 0;
        using (var reader = _labelSlice.ExecuteReader())
            while (reader.Read())
            {
                seen++;
                from = (reader.GetInt64(0), reader.GetString(1));
                if (reader.GetInt64(3) == 0) Waiting(from.ModelPk)[from.Id] = reader.GetInt64(2);
            }
        _labelScan = seen < limit ? null : from;
    }

    private void AddStats(long modelPk, int accepted, int duplicates, int labels, long? last)
    {
        var p = _updateStats.Parameters;
        p[0].Value = accepted;
        p[1].Value = duplicates;
        p[2].Value = labels;
        p[3].Value = (object?)last ?? DBNull.Value;
        p[4].Value = modelPk;
        _updateStats.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        _all.Add(command);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _all) command.Dispose();
        _insertPrediction.Dispose();
    }
}
