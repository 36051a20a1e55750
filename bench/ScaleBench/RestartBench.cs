using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

/// <summary>
/// Restart with many stored predictions: registers models through the engine, fills the predictions table (and a
/// tenth as many labels) below the aggregate watermark straight through SQLite, in large transactions with one
/// prepared command, adds a small unflushed tail above it, then times the engine's start until the tail is replayed.
/// Rows have the real shape (the table the writer fills, features encoded by <see cref="FeatureCodec"/>), 10 features each.
/// </summary>
static class RestartBench
{
    private const int Models = 100;
    private const int ChunkRows = 1_000_000;
    private const int TailRows = 5_000; // ~5 s of traffic at 1,000 events/s: what one flush interval leaves unflushed

    private const string InsertPrediction = """
        INSERT INTO predictions (model_pk, event_id, ts, version_pk, features, prediction_num, prediction_text, probabilities, latency_ms, cost_usd, is_error)
        VALUES ($model, $id, $ts, $version, $features, $num, NULL, NULL, $latency, $cost, 0)
        """;
    private const string InsertLabel = "INSERT INTO labels (model_pk, prediction_id, label_num, label_text, ts, seq) VALUES ($model, $id, $num, NULL, $ts, $seq)";
    private const string UpdateStats = "UPDATE model_stats SET predictions = $predictions, labels = $labels, last_event_at = $last WHERE model_pk = $model";
    private const string UpdateWatermark = "UPDATE aggregate_watermarks SET predictions = $predictions, labels = $labels WHERE node = 'local'";

    public static async Task<int> RunAsync(long rows, string? keepAt)
    {
        var folder = keepAt ?? Directory.CreateTempSubdirectory("modelwatch-restart-").FullName;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "restart.db");
        var connections = new SqliteConnectionFactory(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ConnectionString = $"Data Source={path}", Synchronous = "NORMAL" }));
        Console.WriteLine($"fill: {rows:N0} predictions over {Models} models (10 features), db={path}");

        var engine = await Engine.StartAsync(connections, TimeProvider.System, migrate: true);
        engine.Registry.CreateTeam(new NewTeam("restart", "Restart"));
        var features = Enumerable.Range(0, 10).Select(i => i % 5 == 4
            ? new NewFeature($"f{i}", "categorical", Categories: ["a", "b", "c", "d"])
            : new NewFeature($"f{i}", "numerical", 0, 100)).ToList();
        for (var m = 0; m < Models; m++)
        {
            engine.Registry.CreateModel(new NewModel($"m{m}", $"Model {m}", "binary-classification", "restart", features));
            engine.Registry.CreateVersion($"m{m}", new NewVersion("1.0.0"), "bench");
        }
        var models = Enumerable.Range(0, Models).Select(m => engine.Registry.FindModel($"m{m}")!).ToArray();
        var versions = models.Select(m => m.VersionKeys["1.0.0"]).ToArray();
        await engine.StopAsync();

        var fill = Stopwatch.StartNew();
        var (labels, newest) = Fill(path, models, versions, rows);
        fill.Stop();
        var bytes = new FileInfo(path).Length;
        Console.WriteLine($"filled {rows:N0} predictions and {labels:N0} labels in {fill.Elapsed.TotalSeconds:0} s; file {bytes / 1073741824.0:0.00} GB");

        for (var run = 1; run <= 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var again = await Engine.StartAsync(connections, TimeProvider.System, migrate: true);
            var ready = watch.ElapsedMilliseconds;
            // Ready must also mean writable: the writer prepares its tables on its own thread after it reports running.
            var body = Encoding.UTF8.GetBytes($$"""{"events":[{"id":"restart-{{run}}","timestamp":"{{DateTimeOffset.UtcNow:O}}","version":"1.0.0","features":{"f0":1},"prediction":0.5}]}""");
            var result = await again.Ingestion.IngestPredictionsAsync(again.Registry.FindModel("m0")!, body);
            watch.Stop();
            Console.WriteLine($"restart {run}: ready (migrations, writer, tail of {TailRows:N0} rows replayed) {ready} ms, first event committed {watch.ElapsedMilliseconds} ms ({result.Status})");
            await again.StopAsync();
            SqliteConnection.ClearAllPools();
        }
        if (keepAt is null) Directory.Delete(folder, recursive: true);
        else Console.WriteLine($"kept {path} (delete it when done)");
        return 0;
    }

    /// <summary>Rows spread over the last 14 days in time order, every model interleaved; the last <see cref="TailRows"/> above the watermark.</summary>
    private static (long Labels, long Newest) Fill(string path, ModelDefinition[] models, long[] versions, long rows)
    {
        var random = new Random(5);
        var shapes = Enumerable.Range(0, 64).Select(_ => Encode(models[0], random)).ToArray();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Exec(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = now - 14L * 86_400_000;
        var step = Math.Max(1.0, (now - 60_000 - start) / (double)rows);
        var perModel = new long[models.Length];
        var labelsPerModel = new long[models.Length];
        long labelSeq = 0;
        long watermark = rows - TailRows;
        for (long done = 0; done < rows;)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = Command(connection, transaction, InsertPrediction, "$model", "$id", "$ts", "$version", "$features", "$num", "$latency", "$cost");
            using var label = Command(connection, transaction, InsertLabel, "$model", "$id", "$num", "$ts", "$seq");
            var end = Math.Min(rows, done + ChunkRows);
            if (done < watermark && end > watermark) end = watermark; // the watermark falls on a chunk boundary
            for (; done < end; done++)
            {
                var m = (int)(done % models.Length);
                var n = perModel[m]++;
                var ts = start + (long)(done * step);
                var id = "e" + n.ToString("D10", CultureInfo.InvariantCulture);
                var p = insert.Parameters;
                p[0].Value = models[m].Pk; p[1].Value = id; p[2].Value = ts; p[3].Value = versions[m];
                p[4].Value = shapes[(int)(done % shapes.Length)]; p[5].Value = random.NextDouble(); p[6].Value = 5 + random.NextDouble() * 30; p[7].Value = 0.0001;
                insert.ExecuteNonQuery();
                if (n % 10 != 0) continue;
                var l = label.Parameters;
                l[0].Value = models[m].Pk; l[1].Value = id; l[2].Value = random.Next(2); l[3].Value = ts + 60_000; l[4].Value = ++labelSeq;
                label.ExecuteNonQuery();
                labelsPerModel[m]++;
            }
            if (done == watermark)
                using (var mark = Command(connection, transaction, UpdateWatermark, "$predictions", "$labels"))
                {
                    mark.Parameters[0].Value = watermark; mark.Parameters[1].Value = labelSeq;
                    mark.ExecuteNonQuery();
                }
            using (var stats = Command(connection, transaction, UpdateStats, "$predictions", "$labels", "$last", "$model"))
                for (var m = 0; m < models.Length; m++)
                {
                    stats.Parameters[0].Value = perModel[m]; stats.Parameters[1].Value = labelsPerModel[m];
                    stats.Parameters[2].Value = start + (long)((done - 1) * step); stats.Parameters[3].Value = models[m].Pk;
                    stats.ExecuteNonQuery();
                }
            transaction.Commit();
            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            Console.WriteLine($"  {done:N0} rows");
        }
        return (labelSeq, start + (long)((rows - 1) * step));
    }

    private static byte[] Encode(ModelDefinition model, Random random)
    {
        var row = new Dictionary<string, object>();
        for (var i = 0; i < 10; i++) row[$"f{i}"] = i % 5 == 4 ? "abcd"[random.Next(4)].ToString() : Math.Round(random.NextDouble() * 100, 2);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(row));
        return FeatureCodec.Encode(json.RootElement, model, new ArrayBufferWriter<byte>()).Data;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
