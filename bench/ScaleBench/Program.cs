using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Windows;

// Scaling of the aggregate tiers: N models × 50 features, 24 h of backdated traffic through the ingestion service
// (the path the HTTP API hands its parsed bodies to), then RSS, bytes on disk, restart time and summary latency.
// Usage: dotnet run -c Release --project bench/ScaleBench -- [models=100] [eventsPerModelMinute=1] [hours=24] [--no-restart]
//        dotnet run -c Release --project bench/ScaleBench -- --fill 50000000 [--keep DIR]   (restart with many stored rows)
if (Array.IndexOf(args, "--fill") is var fillAt and >= 0)
{
    var keepAt = Array.IndexOf(args, "--keep") is var k and >= 0 ? args[k + 1] : null;
    return await RestartBench.RunAsync(long.Parse(args[fillAt + 1], CultureInfo.InvariantCulture), keepAt);
}
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var skipRestart = args.Contains("--no-restart");
var holdSeconds = Array.IndexOf(args, "--hold") is var h and >= 0 ? int.Parse(args[h + 1], CultureInfo.InvariantCulture) : 0;
var models = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 100;
var perMinute = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 1;
var hours = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 24;
const int Features = 50;
var folder = Directory.CreateTempSubdirectory("modelwatch-scale-").FullName;
var path = Path.Combine(folder, "scale.db");
var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={path}", Synchronous = "NORMAL" }));
var clock = TimeProvider.System;
Console.WriteLine($"models={models} features={Features} events/model/minute={perMinute} hours={hours} db={path}");
Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} ({System.Runtime.GCSettings.LatencyMode}), cores={Environment.ProcessorCount}");
Console.WriteLine($"RSS at start: {Memory()}");

var engine = await Engine.StartAsync(connections, clock, migrate: true);
engine.Registry.CreateTeam(new NewTeam("scale", "Scale"));
var features = Enumerable.Range(0, Features).Select(i => i % 5 == 4
    ? new NewFeature($"f{i}", "categorical", Categories: ["a", "b", "c", "d"])
    : new NewFeature($"f{i}", "numerical", 0, 100)).ToList();
var random = new Random(11);
for (var m = 0; m < models; m++)
{
    engine.Registry.CreateModel(new NewModel($"m{m}", $"Model {m}", "binary-classification", "scale", features));
    engine.Registry.CreateVersion($"m{m}", new NewVersion("1.0.0"), "bench");
    var reference = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 500).Select(_ => new { features = Row(random), prediction = random.NextDouble(), label = random.Next(2) }) });
    Check(await engine.Ingestion.UploadReferenceAsync(engine.Registry.FindModel($"m{m}")!, "1.0.0", Encoding.UTF8.GetBytes(reference)));
}

var start = DateTimeOffset.UtcNow.AddHours(-hours);
var ingest = Stopwatch.StartNew();
long events = 0;
for (var m = 0; m < models; m++)
{
    var model = engine.Registry.FindModel($"m{m}")!;
    // One request per model per 2 hours of traffic (120 × perMinute events): batches of about a thousand at perMinute 8.
    for (var block = 0; block < hours * 60; block += 120)
    {
        var batch = Enumerable.Range(block, Math.Min(120, hours * 60 - block)).SelectMany(minute => Enumerable.Range(0, perMinute).Select(i => new
        {
            id = $"e{minute}-{i}", timestamp = start.AddMinutes(minute).AddSeconds(i).ToString("O", CultureInfo.InvariantCulture), version = "1.0.0",
            features = Row(random), prediction = random.NextDouble(), latencyMs = 5 + random.NextDouble() * 30, costUsd = 0.0001,
        })).ToList();
        Check(await engine.Ingestion.IngestPredictionsAsync(model, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { events = batch }))));
        events += batch.Count;
    }
}
await engine.Buckets.FlushAsync();
ingest.Stop();
Console.WriteLine($"ingested {events:N0} events in {ingest.Elapsed.TotalSeconds:0.0} s ({events / ingest.Elapsed.TotalSeconds:N0} events/s, through aggregation and flush)");
GC.Collect();
Console.WriteLine($"after ingest: {Memory()}; aggregate cache {engine.Buckets.Cache.UsedBytes / 1048576.0:0.0} MB in {engine.Buckets.Cache.Count} entries");
Latencies(engine, models);
GC.Collect();
Console.WriteLine($"after summaries of every model: {Memory()}; aggregate cache {engine.Buckets.Cache.UsedBytes / 1048576.0:0.0} MB");
if (holdSeconds > 0)
{
    // Time to take a heap dump of this process (dotnet-gcdump collect -p PID) with everything still held.
    Console.WriteLine($"holding {holdSeconds} s for a heap dump: pid {Environment.ProcessId}");
    await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
}
await engine.StopAsync();

var dbBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
var blobBytes = new AggregateStore(connections).StoredBytes();
Console.WriteLine($"disk: {dbBytes / 1048576.0:0.0} MB total, {dbBytes / (double)events:0} bytes per event; aggregate blobs {blobBytes / 1048576.0:0.0} MB = " +
    $"{blobBytes / (double)events:0} bytes per event, {blobBytes / (double)models / (hours / 24.0) / 1024:0.0} KB per model-day");

if (skipRestart)
{
    Directory.Delete(folder, recursive: true);
    return 0;
}
var restart = Stopwatch.StartNew();
var again = await Engine.StartAsync(connections, clock, migrate: true);
restart.Stop();
Console.WriteLine($"restart (migrations, tail replay, ready): {restart.ElapsedMilliseconds} ms");
Latencies(again, models);
await again.StopAsync();
Directory.Delete(folder, recursive: true);
return 0;

static void Latencies(Engine engine, int models)
{
    foreach (var window in new[] { SummaryWindow.OneHour, SummaryWindow.OneDay, SummaryWindow.SevenDays, SummaryWindow.ThirtyDays })
    {
        var cold = new List<double>();
        var warm = new List<double>();
        for (var m = 0; m < models; m++) // every model: a fleet page or the alert evaluator reads them all
        {
            var watch = Stopwatch.StartNew();
            _ = engine.Summaries.GetSummary($"m{m}", window)!;
            cold.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            _ = engine.Summaries.GetSummary($"m{m}", window)!;
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }
        cold.Sort(); warm.Sort();
        Console.WriteLine($"  summary {window.ToName(),4}: first read median {cold[cold.Count / 2]:0.00} ms (max {cold[^1]:0.00}), cached median {warm[warm.Count / 2]:0.00} ms (max {warm[^1]:0.00})");
    }
}

// RSS, and how much of it the GC heap explains (the rest is native: SQLite's page cache, the runtime, code).
static string Memory()
{
    var info = GC.GetGCMemoryInfo(GCKind.Any);
    return $"RSS {Process.GetCurrentProcess().WorkingSet64 / 1048576} MB (GC heap {info.HeapSizeBytes / 1048576} MB, fragmented {info.FragmentedBytes / 1048576} MB, " +
           $"committed {info.TotalCommittedBytes / 1048576} MB)";
}

static Dictionary<string, object> Row(Random random)
{
    var row = new Dictionary<string, object>();
    for (var i = 0; i < Features; i++) row[$"f{i}"] = i % 5 == 4 ? "abcd"[random.Next(4)].ToString() : Math.Round(random.NextDouble() * 100, 2);
    return row;
}

static void Check(IngestResult result)
{
    if (result.Status != IngestStatus.Stored) throw new InvalidOperationException($"{result.Status}: {result.Problem}");
}

/// <summary>The engine's storage, aggregation and ingestion, wired as the portal wires them.</summary>
sealed class Engine
{
    public required RegistryStore Registry { get; init; }
    public required BucketStore Buckets { get; init; }
    public required IngestionWriter Writer { get; init; }
    public required IngestionService Ingestion { get; init; }
    public required SummaryService Summaries { get; init; }

    public static async Task<Engine> StartAsync(SqliteConnectionFactory connections, TimeProvider clock, bool migrate)
    {
        if (migrate) new MigrationRunner(connections, clock, NullLogger<MigrationRunner>.Instance).Migrate();
        var registry = new RegistryStore(connections, clock);
        var cache = new AggregateCache(new AggregateOptions().CacheMegabytes * 1024L * 1024L); // shared, as the portal wires it
        var baselines = new Baselines(new ReferenceStore(connections), connections, clock, cache);
        var buckets = new BucketStore(registry, baselines, connections, clock, NullLogger<BucketStore>.Instance, cache: cache);
        var options = Options.Create(new IngestionOptions { MaxAgeDays = 400 });
        var writer = new IngestionWriter(connections, options, [buckets], new EngineHealth(), NullLogger<IngestionWriter>.Instance);
        buckets.Writer = () => writer;
        await buckets.StartAsync(CancellationToken.None);
        await writer.StartAsync(CancellationToken.None);
        await buckets.WhenReplayed;
        return new Engine { Registry = registry, Buckets = buckets, Writer = writer, Ingestion = new IngestionService(writer, options, clock), Summaries = new SummaryService(registry, buckets, baselines, clock) };
    }

    public async Task StopAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        await Buckets.StopAsync(CancellationToken.None);
        Writer.Dispose();
        Buckets.Dispose();
    }
}
