using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Bench;

/// <summary>
/// The whole summary a panel shows (50 features' drift with distributions, prediction drift, quality, performance,
/// latency, cost) for a 1-hour window merged from minute buckets (58 of them hold 500 events each), fed through the real
/// ingestion path. Goal: ≤ 5 ms.
/// </summary>
[MemoryDiagnoser]
public class ModelSummaryBenchmark
{
    private const int Features = 50;
    private const int Minutes = 58;
    private const int EventsPerMinute = 500;

    private string _folder = "";
    private IngestionWriter _writer = null!;
    private BucketStore _buckets = null!;
    private SummaryService _summaries = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("modelwatch-bench-").FullName;
        var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "bench.db")}" }));
        var clock = TimeProvider.System;
        new MigrationRunner(connections, clock, NullLogger<MigrationRunner>.Instance).Migrate();
        var registry = new RegistryStore(connections, clock);
        var baselines = new Baselines(new ReferenceStore(connections), connections, clock);
        _buckets = new BucketStore(registry, baselines, connections, clock, NullLogger<BucketStore>.Instance);
        var options = Options.Create(new IngestionOptions());
        _writer = new IngestionWriter(connections, options, [_buckets], new EngineHealth(), NullLogger<IngestionWriter>.Instance);
        _buckets.Writer = () => _writer;
        var ingestion = new IngestionService(_writer, options, clock);
        _summaries = new SummaryService(registry, _buckets, baselines, clock);
        _buckets.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();

        registry.CreateTeam(new NewTeam("bench", "Bench"));
        var features = Enumerable.Range(0, Features).Select(i => i % 5 == 4
            ? new NewFeature($"f{i}", "categorical", Categories: ["a", "b", "c", "d"])
            : new NewFeature($"f{i}", "numerical", 0, 100)).ToList();
        registry.CreateModel(new NewModel("wide", "Wide model", ModelTask.BinaryClassification.ToName(), "bench", features));
        registry.CreateVersion("wide", new NewVersion("1.0.0"), "bench");
        var random = new Random(7);
        var model = registry.FindModel("wide")!;
        var reference = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 2_000).Select(_ => new { features = Row(random), prediction = random.NextDouble(), label = random.Next(2) }) });
        Check(ingestion.UploadReferenceAsync(model, "1.0.0", Encoding.UTF8.GetBytes(reference)).GetAwaiter().GetResult());

        // Two minutes of slack so that a minute boundary passing during set-up keeps every event in the window.
        var start = DateTimeOffset.UtcNow.AddMinutes(-(Minutes - 1));
        for (var minute = 0; minute < Minutes; minute++)
        {
            var at = start.AddMinutes(minute).ToString("O", CultureInfo.InvariantCulture);
            var events = Enumerable.Range(0, EventsPerMinute).Select(i => new
            {
                id = $"e{minute}-{i}", timestamp = at, version = "1.0.0", features = Row(random, shift: minute / 10.0),
                prediction = random.NextDouble(), latencyMs = 5 + random.NextDouble() * 30, costUsd = 0.0001,
            });
            Check(ingestion.IngestPredictionsAsync(registry.FindModel("wide")!, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { events }))).GetAwaiter().GetResult());
            var labels = Enumerable.Range(0, EventsPerMinute / 3).Select(i => new { predictionId = $"e{minute}-{i}", label = random.Next(2) });
            Check(ingestion.IngestLabelsAsync(registry.FindModel("wide")!, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { labels }))).GetAwaiter().GetResult());
        }
        _buckets.FlushAsync().GetAwaiter().GetResult();
        var summary = _summaries.GetSummary("wide", SummaryWindow.OneHour)!;
        if (summary.Traffic.Predictions != Minutes * EventsPerMinute || summary.Drift.EvaluatedCount != Features)
            throw new InvalidOperationException($"Setup did not land: {summary.Traffic.Predictions} predictions, {summary.Drift.EvaluatedCount} features evaluated.");
    }

    private static Dictionary<string, object> Row(Random random, double shift = 0) =>
        Enumerable.Range(0, Features).ToDictionary(i => $"f{i}", i => i % 5 == 4 ? (object)"abcd"[random.Next(4)].ToString() : random.NextDouble() * 100 + shift);

    private static void Check(IngestResult result)
    {
        if (result.Status != IngestStatus.Stored) throw new InvalidOperationException(result.Problem);
    }

    [Benchmark]
    public ModelSummary? SummaryOfOneHour() => _summaries.GetSummary("wide", SummaryWindow.OneHour);

    [Benchmark]
    public ModelTimeline? TimelineOfOneHour() => _summaries.GetTimeline("wide", SummaryWindow.OneHour);

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _buckets.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
