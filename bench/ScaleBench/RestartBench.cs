using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using SQLitePCL;

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
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, ?7, ?8, 0)
        """;
    private const string InsertLabel = "INSERT INTO labels (model_pk, prediction_id, label_num, label_text, ts, seq) VALUES (?1, ?2, ?3, NULL, ?4, ?5)";
    private const string UpdateStats = "UPDATE model_stats SET predictions = $predictions, labels = $labels, last_event_at = $last WHERE model_pk = $model";
    private const string UpdateWatermark = "UPDATE aggregate_watermarks SET predictions = $predictions, labels = $labels WHERE node = 'local'";

    public static async Task<int> RunAsync(long rows, string? keepAt)
    {
        var folder = keepAt ?? Directory.CreateTempSubdirectory("modelwatch-restart-").FullName;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "restart.db");
        var filled = keepAt is not null && File.Exists(path); // a kept database: time the restarts again
        var connections = new SqliteConnectionFactory(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ConnectionString = $"Data Source={path}", Synchronous = "NORMAL" }));
        if (filled) return await RestartsAsync(connections, path, keepAt);
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
        return await RestartsAsync(connections, path, keepAt);
    }

    private static async Task<int> RestartsAsync(SqliteConnectionFactory connections, string path, string? keepAt)
    {
        Console.WriteLine($"db {path}: {new FileInfo(path).Length / 1073741824.0:0.00} GB");

        for (var run = 1; run <= 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var again = await Engine.StartAsync(connections, TimeProvider.System, migrate: true);
            var ready = watch.ElapsedMilliseconds;
            // Ready must also mean writable: the writer prepares its tables on its own thread after it reports running.
            var body = Encoding.UTF8.GetBytes($$"""{"events":[{"id":"restart-{{run}}","timestamp":"{{DateTimeOffset.UtcNow:O}}","version":"1.0.0","features":{"f0":1},"prediction":0.5}]}""");
            var result = await again.Ingestion.IngestPredictionsAsync(again.Registry.FindModel("m0")!, body);
            watch.Stop();
            Console.WriteLine($"restart {run}: ready (migrations, writer, tail above the watermark replayed) {ready} ms, first event committed {watch.ElapsedMilliseconds} ms ({result.Status})");
            await again.StopAsync();
            SqliteConnection.ClearAllPools();
        }
        if (keepAt is null) Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
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
        // Raw statements bound by position (as the writer's prediction insert is): SqliteCommand's by-name binding would
        // make the fill, not the restart, the long part of this bench.
        var db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, InsertPrediction, out var insert), db);
        Check(raw.sqlite3_prepare_v2(db, InsertLabel, out var label), db);
        Span<byte> id = stackalloc byte[16];
        for (long done = 0; done < rows;)
        {
            using var transaction = connection.BeginTransaction();
            var end = Math.Min(rows, done + ChunkRows);
            if (done < watermark && end > watermark) end = watermark; // the watermark falls on a chunk boundary
            for (; done < end; done++)
            {
                var m = (int)(done % models.Length);
                var n = perModel[m]++;
                var ts = start + (long)(done * step);
                id[0] = (byte)'e';
                n.TryFormat(id[1..], out var digits, "D10", CultureInfo.InvariantCulture);
                var eventId = id[..(1 + digits)];
                Check(raw.sqlite3_bind_int64(insert, 1, models[m].Pk), db);
                Check(raw.sqlite3_bind_text(insert, 2, eventId), db);
                Check(raw.sqlite3_bind_int64(insert, 3, ts), db);
                Check(raw.sqlite3_bind_int64(insert, 4, versions[m]), db);
                Check(raw.sqlite3_bind_blob(insert, 5, shapes[(int)(done % shapes.Length)]), db);
                Check(raw.sqlite3_bind_double(insert, 6, random.NextDouble()), db);
                Check(raw.sqlite3_bind_double(insert, 7, 5 + random.NextDouble() * 30), db);
                Check(raw.sqlite3_bind_double(insert, 8, 0.0001), db);
                Step(insert, db);
                if (n % 10 != 0) continue;
                Check(raw.sqlite3_bind_int64(label, 1, models[m].Pk), db);
                Check(raw.sqlite3_bind_text(label, 2, eventId), db);
                Check(raw.sqlite3_bind_double(label, 3, random.Next(2)), db);
                Check(raw.sqlite3_bind_int64(label, 4, ts + 60_000), db);
                Check(raw.sqlite3_bind_int64(label, 5, ++labelSeq), db);
                Step(label, db);
                labelsPerModel[m]++;
            }
            if (done == watermark)
                using (var mark = SqlitePrepared.Command(connection, transaction, UpdateWatermark, "$predictions", "$labels"))
                {
                    mark.Parameters[0].Value = watermark; mark.Parameters[1].Value = labelSeq;
                    mark.ExecuteNonQuery();
                }
            using (var stats = SqlitePrepared.Command(connection, transaction, UpdateStats, "$predictions", "$labels", "$last", "$model"))
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
        raw.sqlite3_finalize(insert);
        raw.sqlite3_finalize(label);
        return (labelSeq, start + (long)((rows - 1) * step));
    }

    private static void Step(sqlite3_stmt statement, sqlite3 db)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        raw.sqlite3_reset(statement);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }

    private static byte[] Encode(ModelDefinition model, Random random)
    {
        var row = new Dictionary<string, object>();
        for (var i = 0; i < 10; i++) row[$"f{i}"] = i % 5 == 4 ? "abcd"[random.Next(4)].ToString() : Math.Round(random.NextDouble() * 100, 2);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(row));
        return FeatureCodec.Encode(json.RootElement, model, new ArrayBufferWriter<byte>()).Data;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
