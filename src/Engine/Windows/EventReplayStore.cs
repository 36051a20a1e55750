using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>Reads stored events back to rebuild buckets: at start-up, and when a model's baseline changes.</summary>
internal sealed class EventReplayStore(SqliteConnectionFactory connections)
{
    private const string SelectPredictions = """
        SELECT event_id, ts, version_pk, features, prediction_num, prediction_text, latency_ms, cost_usd, is_error
        FROM predictions WHERE model_pk = @ModelPk AND ts >= @Since AND rowid <= @MaxRowId
        """;
    private const string SelectMaxRowId = "SELECT COALESCE(MAX(rowid), 0) FROM predictions";
    private const string SelectOutcomes = """
        SELECT p.ts, p.version_pk, p.prediction_num, p.prediction_text, l.label_num, l.label_text
        FROM labels l JOIN predictions p ON p.model_pk = l.model_pk AND p.event_id = l.prediction_id
        WHERE l.model_pk = @ModelPk AND p.ts >= @Since AND p.rowid <= @MaxRowId
        """;
    private const string SelectMonthToDate = """
        SELECT COALESCE((SELECT SUM(cost_usd) FROM predictions WHERE model_pk = @ModelPk AND ts >= @Since AND rowid <= @MaxRowId), 0)
             + COALESCE((SELECT SUM(amount_usd) FROM cost_records WHERE model_pk = @ModelPk AND ts >= @Since), 0)
        """;
    private const string SelectFirstSpend = """
        SELECT MIN(ts) FROM (
            SELECT MIN(ts) AS ts FROM predictions WHERE model_pk = @ModelPk AND ts >= @Since AND rowid <= @MaxRowId AND cost_usd > 0
            UNION ALL SELECT MIN(ts) FROM cost_records WHERE model_pk = @ModelPk AND ts >= @Since AND amount_usd > 0)
        """;
    private const string SelectSamples = "SELECT ts, cpu_percent, memory_mb, gpu_percent, errors, version_pk FROM operational_samples WHERE model_pk = @ModelPk AND ts >= @Since";
    private const string SelectCosts = "SELECT ts, amount_usd, item FROM cost_records WHERE model_pk = @ModelPk AND ts >= @Since";

    public long MaxPredictionRowId()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(SelectMaxRowId);
    }

    /// <summary>Spend since a time, and when the first of it was incurred.</summary>
    public (double Spent, long? FirstSpendMs) SpentSince(ModelDefinition model, long sinceMs, long maxRowId)
    {
        using var connection = connections.Open();
        var parameters = new { ModelPk = model.Pk, Since = sinceMs, MaxRowId = maxRowId };
        return (connection.ExecuteScalar<double>(SelectMonthToDate, parameters), connection.ExecuteScalar<long?>(SelectFirstSpend, parameters));
    }

    /// <summary>Streams the model's events since a time, in batches shaped like committed writes.</summary>
    public IEnumerable<CommittedWrite> Replay(ModelDefinition model, long sinceMs, long maxRowId, bool includeOperational, int batchSize = 5_000)
    {
        using var connection = connections.Open();
        var parameters = new { ModelPk = model.Pk, Since = sinceMs, MaxRowId = maxRowId };
        var batch = new List<PredictionRecord>(batchSize);
        using (var reader = connection.ExecuteReader(SelectPredictions, parameters))
        {
            while (reader.Read())
            {
                var features = (byte[])reader.GetValue(3);
                var (problems, undeclared) = FeatureCodec.Classify(FeatureCodec.Decode(features), model.Features);
                batch.Add(new PredictionRecord(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), features, problems, undeclared,
                    NullableDouble(reader, 4), reader.IsDBNull(5) ? null : reader.GetString(5), null, NullableDouble(reader, 6), NullableDouble(reader, 7), reader.GetInt64(8) != 0));
                if (batch.Count < batchSize) continue;
                yield return new CommittedWrite(model, batch, [], [], [], []);
                batch = new List<PredictionRecord>(batchSize);
            }
        }
        if (batch.Count > 0) yield return new CommittedWrite(model, batch, [], [], [], []);

        var outcomes = connection.Query<(long, long, double?, string?, double?, string?)>(SelectOutcomes, parameters)
            .Select(o => new LabeledOutcome(o.Item1, o.Item2, o.Item3, o.Item4, o.Item5, o.Item6)).ToList();
        if (outcomes.Count > 0) yield return new CommittedWrite(model, [], [], [], [], outcomes);
        if (!includeOperational) yield break;

        var samples = connection.Query<(long, double?, double?, double?, long, long?)>(SelectSamples, parameters)
            .Select(s => new OperationalSampleRecord(s.Item1, s.Item2, s.Item3, s.Item4, s.Item5, s.Item6)).ToList();
        var costs = connection.Query<(long, double, string)>(SelectCosts, parameters).Select(c => new CostRecord(c.Item1, c.Item2, c.Item3)).ToList();
        if (samples.Count > 0 || costs.Count > 0) yield return new CommittedWrite(model, [], [], samples, costs, []);
    }

    private static double? NullableDouble(System.Data.IDataRecord reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
}
