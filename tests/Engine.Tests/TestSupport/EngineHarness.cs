using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using System.Text;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>
/// The Engine's services wired by hand on a temp database, the way the Portal's composition wires them:
/// migrations, stores, and the single ingestion writer (started unless asked not to).
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private EngineHarness(TempDatabase database, IngestionOptions options, IEnumerable<IIngestionObserver> observers)
    {
        Database = database;
        Clock = new FakeTimeProvider(Start);
        Health = new EngineHealth();
        Migrations = new MigrationRunner(database.Connections, Clock, NullLogger<MigrationRunner>.Instance);
        Registry = new RegistryStore(database.Connections, Clock);
        Keys = new ApiKeyStore(database.Connections, Clock);
        Users = new UserStore(database.Connections, Clock);
        Writer = new IngestionWriter(database.Connections, Options.Create(options), observers, Health, NullLogger<IngestionWriter>.Instance);
        Ingestion = new IngestionService(Writer, Options.Create(options), Clock);
    }

    public TempDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public EngineHealth Health { get; }
    public MigrationRunner Migrations { get; }
    public RegistryStore Registry { get; }
    public ApiKeyStore Keys { get; }
    public UserStore Users { get; }
    public IngestionWriter Writer { get; }
    public IngestionService Ingestion { get; }

    public static async Task<EngineHarness> StartAsync(IngestionOptions? options = null, IEnumerable<IIngestionObserver>? observers = null, bool startWriter = true, TempDatabase? database = null)
    {
        // The fixed test events reach hours past the harness clock; tests of the skew limit pass their own options.
        var harness = new EngineHarness(database ?? new TempDatabase(), options ?? new IngestionOptions { MaxFutureSkewMinutes = 24 * 60 }, observers ?? []);
        harness.Migrations.Migrate();
        harness.Health.MarkMigrated();
        if (startWriter) await harness.Writer.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>A team and a model with two numerical and one categorical feature, and version "1.0.0".</summary>
    public ModelDefinition Model(ModelTask task = ModelTask.BinaryClassification, string id = "fraud-detector", string team = "payments-risk")
    {
        if (Registry.FindTeam(team) is null) Assert.True(Registry.CreateTeam(new NewTeam(team, "Team " + team)).IsOk);
        var created = Registry.CreateModel(new NewModel(id, "Model " + id, task.ToName(), team,
        [
            new NewFeature("amount", "numerical", 0, 50_000),
            new NewFeature("age", "numerical"),
            new NewFeature("country", "categorical", Categories: ["DE", "FR", "US"]),
        ]));
        Assert.True(created.IsOk, string.Join("; ", created.Errors.Select(e => e.Reason)));
        Assert.True(Registry.CreateVersion(id, new NewVersion("1.0.0"), "test").IsOk);
        return Registry.FindModel(id)!;
    }

    public Task<IngestResult> PredictAsync(ModelDefinition model, string json) =>
        Ingestion.IngestPredictionsAsync(Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(json));

    public Task<IngestResult> LabelAsync(ModelDefinition model, string json) =>
        Ingestion.IngestLabelsAsync(Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(json));

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        Writer.Dispose();
        Database.Dispose();
    }
}
