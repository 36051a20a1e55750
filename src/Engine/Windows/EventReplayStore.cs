using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Reads stored rows back by id range, for every model at once: at start-up the tail above the aggregates' watermark,
/// and once, on a database made before the tiers, everything below it (the upgrade).
/// </summary>
internal sealed class EventReplayStore(SqliteConnectionFactory connections)
{
    private const string SelectPredictions = """
        SELECT rowid, model_pk, event_id, ts, version_pk, features, prediction_num, prediction_text, latency_ms, cost_usd, is_error
        FROM predictions WHERE rowid > @From AND rowid <= @To ORDER BY rowid
        """;
    private const string SelectWatermark = """
        SELECT (SELECT COALESCE(MAX(rowid), 0) FROM predictions) AS Predictions, (SELECT COALESCE(MAX(seq), 0) FROM labels) AS Labels,
               (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples) AS Samples, (SELECT COALESCE(MAX(rowid), 0) FROM cost_records) AS Costs
        """;
    // A (label, prediction) pair was counted when the second of the two arrived. Pairs whose label came in the range:
    private const string SelectOutcomesByLabel = """
        SELECT p.model_pk, p.ts, p.version_pk, p.prediction_num, p.prediction_text, l.label_num, l.label_text
        FROM labels l JOIN predictions p ON p.model_pk = l.model_pk AND p.event_id = l.prediction_id
        WHERE l.seq > @LabelsFrom AND l.seq <= @LabelsTo AND p.rowid <= @To
        """;
    // ... and pairs whose prediction came in the range, its label earlier (no seq: stored before the tiers existed).
    private const string SelectOutcomesByPrediction = """
        SELECT p.model_pk, p.ts, p.version_pk, p.prediction_num, p.prediction_text, l.label_num, l.label_text
        FROM predictions p JOIN labels l ON l.model_pk = p.model_pk AND l.prediction_id = p.event_id
        WHERE p.rowid > @From AND p.rowid <= @To AND (l.seq IS NULL OR l.seq <= @LabelsFrom)
        """;
    private const string SelectSamples = """
        SELECT model_pk, ts, cpu_percent, memory_mb, gpu_percent, errors, version_pk FROM operational_samples WHERE rowid > @From AND rowid <= @To
        """;
    private const string SelectCosts = "SELECT model_pk, ts, amount_usd, item FROM cost_records WHERE rowid > @From AND rowid <= @To";
    private const string SelectLastEvents = "SELECT model_pk, last_event_at FROM model_stats WHERE last_event_at IS NOT NULL";

    /// <summary>The newest stored row of each kind now.</summary>
    public Watermark Newest()
    {
        using var connection = connections.Open();
        return connection.QuerySingle<Watermark>(SelectWatermark);
    }

    public Dictionary<long, long> LastEventTimes()
    {
        using var connection = connections.Open();
        return connection.Query<(long, long)>(SelectLastEvents).ToDictionary(r => r.Item1, r => r.Item2);
    }

    /// <summary>Predictions with rowid in (from, to], in rowid order, as committed writes per model; <paramref name="reached"/> gets the last rowid of each batch.</summary>
    public IEnumerable<CommittedWrite> Predictions(IReadOnlyDictionary<long, ModelDefinition> models, long from, long to, int batchSize = 20_000)
    {
        using var connection = connections.Open();
        var batch = new Dictionary<long, List<PredictionRecord>>();
        var rows = 0;
        using var reader = connection.ExecuteReader(SelectPredictions, new { From = from, To = to });
        while (reader.Read())
        {
            if (!models.TryGetValue(reader.GetInt64(1), out var model)) continue; // a deleted model
            var features = (byte[])reader.GetValue(5);
            var (problems, undeclared) = FeatureCodec.Classify(FeatureCodec.Decode(features), model.Features);
            if (!batch.TryGetValue(model.Pk, out var list)) batch[model.Pk] = list = [];
            list.Add(new PredictionRecord(reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), features, problems, undeclared,
                NullableDouble(reader, 6), reader.IsDBNull(7) ? null : reader.GetString(7), null, NullableDouble(reader, 8), NullableDouble(reader, 9), reader.GetInt64(10) != 0));
            if (++rows < batchSize) continue;
            foreach (var (pk, records) in batch) yield return new CommittedWrite(models[pk], records, [], [], [], []);
            batch.Clear();
            rows = 0;
        }
        foreach (var (pk, records) in batch) yield return new CommittedWrite(models[pk], records, [], [], [], []);
    }

    /// <summary>The outcomes first counted by rows in the range: labels with seq in (labelsFrom, labelsTo], predictions with rowid in (from, to].</summary>
    public IEnumerable<CommittedWrite> Outcomes(IReadOnlyDictionary<long, ModelDefinition> models, long from, long to, long labelsFrom, long labelsTo)
    {
        using var connection = connections.Open();
        var parameters = new { From = from, To = to, LabelsFrom = labelsFrom, LabelsTo = labelsTo };
        var rows = connection.Query<(long, long, long, double?, string?, double?, string?)>(SelectOutcomesByLabel, parameters)
            .Concat(connection.Query<(long, long, long, double?, string?, double?, string?)>(SelectOutcomesByPrediction, parameters));
        foreach (var group in rows.GroupBy(r => r.Item1))
        {
            if (!models.TryGetValue(group.Key, out var model)) continue;
            yield return new CommittedWrite(model, [], [], [], [], group.Select(o => new LabeledOutcome(o.Item2, o.Item3, o.Item4, o.Item5, o.Item6, o.Item7)).ToList());
        }
    }

    public IEnumerable<CommittedWrite> Operational(IReadOnlyDictionary<long, ModelDefinition> models, long samplesFrom, long samplesTo, long costsFrom, long costsTo)
    {
        using var connection = connections.Open();
        var samples = connection.Query<(long, long, double?, double?, double?, long, long?)>(SelectSamples, new { From = samplesFrom, To = samplesTo })
            .GroupBy(s => s.Item1).ToDictionary(g => g.Key, g => g.Select(s => new OperationalSampleRecord(s.Item2, s.Item3, s.Item4, s.Item5, s.Item6, s.Item7)).ToList());
        var costs = connection.Query<(long, long, double, string)>(SelectCosts, new { From = costsFrom, To = costsTo })
            .GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => g.Select(c => new CostRecord(c.Item2, c.Item3, c.Item4)).ToList());
        foreach (var pk in samples.Keys.Union(costs.Keys))
        {
            if (!models.TryGetValue(pk, out var model)) continue;
            yield return new CommittedWrite(model, [], [], samples.GetValueOrDefault(pk) ?? [], costs.GetValueOrDefault(pk) ?? [], []);
        }
    }

    private static double? NullableDouble(System.Data.IDataRecord reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
}
