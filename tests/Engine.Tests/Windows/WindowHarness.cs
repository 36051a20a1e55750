using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

/// <summary>The engine with its buckets, summaries and live feed on a temp database and a fake clock.</summary>
public sealed class WindowHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 30, TimeSpan.Zero);

    private WindowHarness(TempDatabase database, FakeTimeProvider clock, RetentionOptions? retention)
    {
        Database = database;
        Clock = clock;
        new MigrationRunner(database.Connections, Clock, NullLogger<MigrationRunner>.Instance).Migrate();
        Registry = new RegistryStore(database.Connections, Clock);
        Baselines = new Baselines(new ReferenceStore(database.Connections), database.Connections, Clock);
        // Flushes to the tiers happen at FlushAsync only, so a test decides what the stored tiers hold.
        Buckets = new BucketStore(Registry, Baselines, database.Connections, Clock, NullLogger<BucketStore>.Instance,
            aggregates: Options.Create(new AggregateOptions { FlushSeconds = 3_600 }),
            // Pruning rounds happen at PruneAsync only (the interval is a day of real time).
            retention: Options.Create(retention ?? new RetentionOptions { IntervalSeconds = 86_400 }));
        var options = Options.Create(new IngestionOptions());
        Writer = new IngestionWriter(database.Connections, options, [Buckets], new EngineHealth(), NullLogger<IngestionWriter>.Instance);
        Buckets.Writer = () => Writer;
        Ingestion = new IngestionService(Writer, options, Clock, retention is null ? null : Options.Create(retention));
        Audit = new ModelWatch.Engine.Audit.AuditLog(database.Connections, Clock);
        DriftSettings = new DriftSettingsStore(database.Connections, Audit, Clock);
        Summaries = new SummaryService(Registry, Buckets, Baselines, Clock, DriftSettings);
        Live = new LiveFeed(Summaries, Buckets, Clock, NullLogger<LiveFeed>.Instance);
    }

    public TempDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public RegistryStore Registry { get; }
    public Baselines Baselines { get; }
    public BucketStore Buckets { get; }
    public IngestionWriter Writer { get; }
    public IngestionService Ingestion { get; }
    public SummaryService Summaries { get; }
    public ModelWatch.Engine.Audit.AuditLog Audit { get; }
    public DriftSettingsStore DriftSettings { get; }
    public LiveFeed Live { get; }

    public static async Task<WindowHarness> StartAsync(TempDatabase? database = null, DateTimeOffset? now = null, RetentionOptions? retention = null)
    {
        var harness = new WindowHarness(database ?? new TempDatabase(), new FakeTimeProvider(now ?? Start), retention);
        await harness.Buckets.StartAsync(CancellationToken.None);
        await harness.Writer.StartAsync(CancellationToken.None);
        await harness.Buckets.WhenReplayed;
        return harness;
    }

    public ModelDefinition Model(ModelTask task, string id = "fraud-detector", double? budget = null, double? slo = null)
    {
        if (Registry.FindTeam("payments-risk") is null) Assert.True(Registry.CreateTeam(new NewTeam("payments-risk", "Payments Risk")).IsOk);
        var created = Registry.CreateModel(new NewModel(id, "Model " + id, task.ToName(), "payments-risk",
            [new NewFeature("amount", "numerical", 0, 1000), new NewFeature("country", "categorical", Categories: ["DE", "FR", "US"])],
            LatencySloMs: slo, MonthlyBudgetUsd: budget));
        Assert.True(created.IsOk, string.Join("; ", created.Errors.Select(e => e.Reason)));
        Assert.True(Registry.CreateVersion(id, new NewVersion("1.0.0"), "test").IsOk);
        return Registry.FindModel(id)!;
    }

    public async Task ReferenceAsync(ModelDefinition model, IEnumerable<(double Amount, string Country, object Prediction, object? Label)> rows)
    {
        var body = JsonSerializer.Serialize(new { rows = rows.Select(r => new { features = new { amount = r.Amount, country = r.Country }, prediction = r.Prediction, label = r.Label }) });
        var result = await Ingestion.UploadReferenceAsync(Registry.FindModel(model.Id)!, "1.0.0", Encoding.UTF8.GetBytes(body));
        Assert.Equal(IngestStatus.Stored, result.Status);
        await Buckets.FlushAsync();
    }

    public async Task<WriteReceipt> PredictAsync(ModelDefinition model, IEnumerable<Prediction> predictions)
    {
        var body = JsonSerializer.Serialize(new
        {
            events = predictions.Select(p => new Dictionary<string, object?>
            {
                ["id"] = p.Id,
                ["timestamp"] = (p.At ?? Clock.GetUtcNow()).ToString("O", CultureInfo.InvariantCulture),
                ["version"] = "1.0.0",
                ["features"] = new { amount = p.Amount, country = p.Country },
                ["prediction"] = p.Value,
                ["latencyMs"] = p.LatencyMs,
                ["costUsd"] = p.CostUsd,
            }),
        });
        var result = await Ingestion.IngestPredictionsAsync(Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(body));
        Assert.True(result.Status == IngestStatus.Stored, result.Problem + " " + string.Join("; ", result.Errors.Select(e => $"{e.Index} {e.Field} {e.Reason}")));
        await Buckets.FlushAsync();
        return result.Receipt!;
    }

    public async Task LabelAsync(ModelDefinition model, IEnumerable<(string Id, object Label)> labels)
    {
        var body = JsonSerializer.Serialize(new { labels = labels.Select(l => new { predictionId = l.Id, label = l.Label }) });
        var result = await Ingestion.IngestLabelsAsync(Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(body));
        Assert.Equal(IngestStatus.Stored, result.Status);
        await Buckets.FlushAsync();
    }

    public async Task MetricsAsync(ModelDefinition model, string json)
    {
        var result = await Ingestion.IngestMetricsAsync(Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(json));
        Assert.Equal(IngestStatus.Stored, result.Status);
        await Buckets.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Live.Dispose();
        await Writer.StopAsync(CancellationToken.None);
        await Buckets.StopAsync(CancellationToken.None);
        Writer.Dispose();
        Buckets.Dispose();
        Database.Dispose();
    }
}

public sealed record Prediction(string Id, double Amount, string Country, object Value, double? LatencyMs = null, double? CostUsd = null, DateTimeOffset? At = null);
