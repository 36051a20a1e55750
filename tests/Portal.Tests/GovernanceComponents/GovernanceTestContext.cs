using Bunit;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Portal.Auth;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.ViewModels;
using ModelWatch.Portal.Tests.Components;

namespace ModelWatch.Portal.Tests.GovernanceComponents;

/// <summary>
/// The UI test context with the real engine behind the governance pages: a temp SQLite file of this test's own,
/// migrated, with the demo's people (admin, dana, omar, alice) and three teams and models. Access decisions and
/// refusals are therefore the engine's own, not a fake's. Live numbers come from the fake summary reader.
/// </summary>
public abstract class GovernanceTestContext : UiTestContext
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "modelwatch-ui-tests", $"{Guid.NewGuid():N}.db");

    protected override void AddServices(IServiceCollection services)
    {
        // Migrating and hashing five passwords per test is slow on a small box: every test copies one seeded file.
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.Copy(Template.Value, _path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = $"Data Source={_path}" }).Build();
        services.AddLogging();
        services.AddEngine(configuration);
        // The fake clock and summary reader win over the engine's.
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<ISummaryReader>(Summaries);
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<IViewerResolver, ViewerResolver>();
        services.AddGovernancePages();
    }

    protected GovernanceTestContext()
    {
        Registry = Services.GetRequiredService<RegistryStore>();
        Users = Services.GetRequiredService<UserStore>();
        Audit = Services.GetRequiredService<AuditLog>();
        Aliases = Services.GetRequiredService<AliasStore>();
        Ownership = Services.GetRequiredService<OwnershipStore>();
    }

    private static readonly Lazy<string> Template = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "modelwatch-ui-tests", $"template-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection().AddLogging()
            .AddEngine(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = $"Data Source={path}" }).Build())
            .BuildServiceProvider();
        services.GetRequiredService<MigrationRunner>().Migrate();
        Seed(services.GetRequiredService<RegistryStore>(), services.GetRequiredService<UserStore>());
        using (var connection = services.GetRequiredService<SqliteConnectionFactory>().Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        return path;
    });

    public RegistryStore Registry { get; }
    public UserStore Users { get; }
    public AuditLog Audit { get; }
    public AliasStore Aliases { get; }
    public OwnershipStore Ownership { get; }

    /// <summary>The viewer the layout would cascade, with the same user signed in, so changes re-read this caller from the store.</summary>
    public Viewer Viewing(string username)
    {
        Authorization.SetAuthorized(username);
        return As(username);
    }

    public Viewer As(string username) => new(Caller.ForUser(Users.Find(username)!), username, username);

    /// <summary>The signed-in principal, so a page re-reads the caller from the user store at the moment of a change.</summary>
    public static Task<AuthenticationState> SignedIn(string username) =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, username)], "test"))));

    public long Entries(string action) => Audit.Read(new AuditFilter(Action: action), Audit.HeadSequence()).Count;

    private static void Seed(RegistryStore registry, UserStore users)
    {
        void User(string name, string role, params TeamMembership[] teams) => Assert.True(users.Create(name, name, role, "test-password-1", teams).IsOk);
        void Model(string id, string team) =>
            Assert.True(registry.CreateModel(new NewModel(id, id.Replace('-', ' '), "binary-classification", team, [new NewFeature("amount", "numerical")])).IsOk);
        void Version(string model, string version, string hyper, string metrics) =>
            Assert.True(registry.CreateVersion(model, new NewVersion(version, JsonDocument.Parse(hyper).RootElement, "s3://data/" + model, JsonDocument.Parse(metrics).RootElement), "dana").IsOk);

        foreach (var team in new[] { "payments-risk", "growth-analytics", "operations" })
            Assert.True(registry.CreateTeam(new NewTeam(team, "Team " + team)).IsOk);
        User("admin", Roles.Admin);
        User("dana", Roles.DataScientist, new("payments-risk", "member"), new("growth-analytics", "lead"));
        User("omar", Roles.OpsEngineer, new("payments-risk", "member"), new("operations", "lead"));
        User("alice", Roles.Auditor);
        User("eve", Roles.DataScientist);
        Model("fraud-detector", "payments-risk");
        Version("fraud-detector", "1.0.0", """{ "depth": 6, "learningRate": 0.1 }""", """{ "auc": 0.91 }""");
        Version("fraud-detector", "1.1.0", """{ "depth": 8, "learningRate": 0.1, "trees": 200 }""", """{ "auc": 0.93 }""");
        Model("churn-predictor", "growth-analytics");
        Version("churn-predictor", "2.0.0", "{}", "{}");
        Model("demand-forecast", "operations");
        Version("demand-forecast", "1.0.0", "{}", "{}");
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }
}

public static class FieldFinder
{
    /// <summary>A MudTextField's input or textarea, whichever element its data-testid landed on.</summary>
    public static AngleSharp.Dom.IElement Field<T>(this IRenderedComponent<T> cut, string testId) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? element;
    }
}

