using System.Net.Http.Headers;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Portal.Tests.TestSupport;

/// <summary>
/// The real Portal on a temp SQLite file of its own, demo off, with a known bootstrap admin key and password.
/// Settings go through UseSetting so they override the repository's appsettings.json. Dispose deletes the file.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "mwk_test-admin-key-0123456789abcdefghijklmnop";
    public const string AdminPassword = "test-admin-password-1";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public PortalFactory() : this(null) { }

    /// <summary>A portal with extra settings (e.g. small limits), test services, or an existing database file (a restart).</summary>
    public static PortalFactory With(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? databasePath = null) =>
        new(settings, services, databasePath);

    protected PortalFactory(IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services = null, string? databasePath = null)
    {
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), "modelwatch-portal-tests", $"{Guid.NewGuid():N}.db");
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={DatabasePath}",
            ["Portal:Demo:Enabled"] = "false",
            ["Portal:Bootstrap:AdminApiKey"] = AdminKey,
            ["Portal:Bootstrap:AdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test signs in from the same loopback address; SignInRateLimitTests sets a low limit to prove the 429.
            ["Portal:Security:SignInAttemptsPerAddress"] = "100000",
            // Fixtures send events at fixed dates (PortalApi.Time); raw retention (so the pruner keeps them) and the oldest
            // accepted event time are stretched so that they stay valid as the calendar moves on. The limits are tested in the Engine
            // and by the retention API test, which sets its own.
            ["Portal:Retention:RawEventDays"] = "36500",
            ["Portal:Ingestion:MaxAgeDays"] = "36500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public string DatabasePath { get; }

    /// <summary>Set when another factory will reopen the same file after this one stops.</summary>
    public bool KeepDatabase { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public PortalApi Admin() => new(ClientWithKey(AdminKey));

    public PortalApi WithKey(string? key) => new(ClientWithKey(key));

    /// <summary>Reads the database file directly, as an outside observer would.</summary>
    public long Scalar(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder($"Data Source={DatabasePath}") { Pooling = false }.ToString());
        connection.Open();
        return connection.ExecuteScalar<long>(sql, parameters);
    }

    /// <summary>Everything ingestion writes for one model, to show that a refused request left it unchanged.</summary>
    public StoredRows Rows(string modelId)
    {
        const string pk = "(SELECT pk FROM models WHERE id = @modelId)";
        var p = new { modelId };
        return new StoredRows(
            Scalar($"SELECT COUNT(*) FROM predictions WHERE model_pk = {pk}", p),
            Scalar($"SELECT COUNT(*) FROM labels WHERE model_pk = {pk}", p),
            Scalar($"SELECT COUNT(*) FROM operational_samples WHERE model_pk = {pk}", p) + Scalar($"SELECT COUNT(*) FROM cost_records WHERE model_pk = {pk}", p),
            Scalar($"SELECT COUNT(*) FROM reference_rows WHERE version_pk IN (SELECT v.pk FROM model_versions v WHERE v.model_pk = {pk})", p),
            Scalar($"SELECT COALESCE(predictions, 0) * 1000000 + COALESCE(labels, 0) * 1000 + COALESCE(duplicates, 0) FROM model_stats WHERE model_pk = {pk}", p));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        using (var pooled = new SqliteConnection($"Data Source={DatabasePath}")) SqliteConnection.ClearPool(pooled);
        if (KeepDatabase) return;
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { /* still closing; the temp folder is cleaned eventually */ }
        }
    }
}

/// <param name="Stats">model_stats packed into one number so a change anywhere shows.</param>
public sealed record StoredRows(long Predictions, long Labels, long Metrics, long ReferenceRows, long Stats);
