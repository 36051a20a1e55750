using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Demo;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Tests.Demo;

/// <summary>The Engine wired by hand over its own temp-file SQLite database, with a running writer and a fake clock.</summary>
internal sealed class DemoEngine : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder;

    public DemoEngine()
    {
        _folder = Path.Combine(Path.GetTempPath(), "modelwatch-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        Clock = new FakeTimeProvider(Epoch);
        var connections = Connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "portal.db")}" }));
        new MigrationRunner(connections, Clock, NullLogger<MigrationRunner>.Instance).Migrate();
        Health.MarkMigrated();
        Registry = new RegistryStore(connections, Clock);
        Users = new UserStore(connections, Clock);
        Keys = new ApiKeyStore(connections, Clock);
        var ingestionOptions = Options.Create(new IngestionOptions());
        Writer = new IngestionWriter(connections, ingestionOptions, [], Health, NullLogger<IngestionWriter>.Instance);
        Writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Ingestion = new IngestionService(Writer, ingestionOptions, Clock);
    }

    public FakeTimeProvider Clock { get; }
    public SqliteConnectionFactory Connections { get; }
    public EngineHealth Health { get; } = new();
    public RegistryStore Registry { get; }
    public UserStore Users { get; }
    public ApiKeyStore Keys { get; }
    public IngestionWriter Writer { get; }
    public IngestionService Ingestion { get; }
    public CapturingLogger Log { get; } = new();

    public DemoSeeder Seeder() => new(Registry, Users, Ingestion, Clock, NullLogger<DemoSeeder>.Instance);

    public async Task<DemoSimulator> SeededSimulatorAsync(DemoOptions? options = null)
    {
        options ??= new DemoOptions();
        await Seeder().SeedAsync(options, CancellationToken.None);
        return DemoSimulator.Create(options, Registry, Ingestion, Clock, Log);
    }

    public ModelIngestionStats Stats(string modelId) => Registry.GetStats(Registry.FindModel(modelId)!);

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        Writer.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

/// <summary>Keeps what was logged so tests can check what an operator would read.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add((logLevel, formatter(state, exception)));
    }
}
