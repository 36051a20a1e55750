using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Alerting;

/// <summary>The alerting services on a temp database and a fake clock, wired as the portal wires them. Restart() builds them again on the same file.</summary>
public sealed class AlertingHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    public static readonly Caller Admin = new("user:admin", Roles.Admin, new HashSet<string>(), new HashSet<string>());
    public static readonly Caller Lead = new("user:lead", Roles.DataScientist, new HashSet<string> { "payments-risk" }, new HashSet<string> { "payments-risk" });
    public static readonly Caller Member = new("user:member", Roles.OpsEngineer, new HashSet<string> { "payments-risk" }, new HashSet<string>());
    public static readonly Caller Outsider = new("user:outsider", Roles.OpsEngineer, new HashSet<string> { "growth" }, new HashSet<string> { "growth" });

    public AlertingHarness(AlertingOptions? options = null, HttpClient? http = null)
    {
        Options = options ?? new AlertingOptions();
        Http = http ?? new HttpClient();
        new MigrationRunner(Database.Connections, Clock, NullLogger<MigrationRunner>.Instance).Migrate();
        Registry = new RegistryStore(Database.Connections, Clock);
        Build();
    }

    public TempDatabase Database { get; } = new();
    public FakeTimeProvider Clock { get; } = new(Start);
    public AlertingOptions Options { get; }
    public HttpClient Http { get; }
    public RegistryStore Registry { get; }
    public ScriptedSummaries Summaries { get; private set; } = null!;
    public AuditLog Audit { get; private set; } = null!;
    public OwnershipStore Ownership { get; private set; } = null!;
    public AlertRuleStore Rules { get; private set; } = null!;
    public AlertStore Alerts { get; private set; } = null!;
    public AlertEvaluator Evaluator { get; private set; } = null!;
    public NotificationSettingsStore Settings { get; private set; } = null!;
    public SilenceStore Silences { get; private set; } = null!;
    public DeliveryStore Deliveries { get; private set; } = null!;
    public AlertDispatcher Dispatcher { get; private set; } = null!;
    public AlertOutbox Outbox { get; private set; } = null!;
    public AlertRuleCommands RuleCommands { get; private set; } = null!;
    public AlertCommands AlertCommands { get; private set; } = null!;

    /// <summary>New service instances on the same database, keeping the scripted metrics: what a portal restart does.</summary>
    public void Restart()
    {
        var summaries = Summaries;
        Build();
        Summaries = summaries;
        Evaluator = NewEvaluator();
        RuleCommands = new AlertRuleCommands(Rules, Alerts, Evaluator, Registry, Audit, Clock);
        AlertCommands = new AlertCommands(Alerts, Evaluator, Registry, Audit, Clock);
    }

    private void Build()
    {
        Summaries = new ScriptedSummaries(Clock);
        Audit = new AuditLog(Database.Connections, Clock);
        Ownership = new OwnershipStore(Database.Connections, Registry, Audit, Clock);
        Rules = new AlertRuleStore(Database.Connections);
        Alerts = new AlertStore(Database.Connections);
        Evaluator = NewEvaluator();
        Settings = new NotificationSettingsStore(Database.Connections, Audit, Clock);
        Silences = new SilenceStore(Database.Connections, Registry, Audit, Clock);
        Deliveries = new DeliveryStore(Database.Connections);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Dispatcher = new AlertDispatcher(Alerts, Deliveries, Settings, Silences, Ownership, Audit, new PortalLinks { BaseUrl = "http://portal.test" }, Clock, options);
        Outbox = new AlertOutbox(Deliveries, new AlertTransports(Http, options), Audit, Clock, options, NullLogger<AlertOutbox>.Instance);
        RuleCommands = new AlertRuleCommands(Rules, Alerts, Evaluator, Registry, Audit, Clock);
        AlertCommands = new AlertCommands(Alerts, Evaluator, Registry, Audit, Clock);
    }

    private AlertEvaluator NewEvaluator() => new(Rules, Alerts, Registry, Ownership, Summaries, Database.Connections, Clock,
        Microsoft.Extensions.Options.Options.Create(Options), NullLogger<AlertEvaluator>.Instance);

    /// <summary>A team and a model with two numerical and one categorical feature.</summary>
    public ModelDefinition Model(string id = "fraud-detector", string team = "payments-risk", string? onCall = null, string? escalation = null)
    {
        if (Registry.FindTeam(team) is null) Assert.True(Registry.CreateTeam(new NewTeam(team, "Team " + team)).IsOk);
        Assert.True(Registry.CreateModel(new NewModel(id, "Model " + id, "binary-classification", team,
            [new NewFeature("amount", "numerical", 0, 50_000), new NewFeature("age", "numerical"), new NewFeature("country", "categorical", Categories: ["DE", "FR", "US"])])).IsOk);
        var model = Registry.FindModel(id)!;
        if (onCall is not null || escalation is not null)
            Assert.True(Ownership.ChangeOwner(model, new OwnerChangeRequest(team, "contacts for the test", onCall, escalation), Admin).IsOk);
        return Registry.FindModel(id)!;
    }

    public AlertRule Rule(string json, Caller? caller = null)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var outcome = RuleCommands.Create(spec, caller ?? Admin);
        Assert.True(outcome.IsOk, string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Reason}")) + outcome.Message);
        return outcome.Value!.Rule;
    }

    public void Notifications(string scope, string json)
    {
        var spec = JsonSerializer.Deserialize<NotificationSettingsSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var outcome = Settings.Set(scope, spec, Admin);
        Assert.True(outcome.IsOk, string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Reason}")));
    }

    /// <summary>Moves the clock and runs one evaluation and one dispatch, as the loop does every interval.</summary>
    public EvaluationReport Round(TimeSpan? advance = null)
    {
        Clock.Advance(advance ?? TimeSpan.FromSeconds(Options.EvaluationIntervalSeconds));
        var report = Evaluator.Evaluate();
        Dispatcher.Dispatch();
        return report;
    }

    /// <summary>Rounds every interval for the given time.</summary>
    public void Run(TimeSpan duration)
    {
        var end = Clock.GetUtcNow() + duration;
        while (Clock.GetUtcNow() < end) Round();
    }

    public IReadOnlyList<AlertRecord> AlertsOf(string? status = null) => Alerts.List(new AlertFilter(status));

    public IReadOnlyList<Delivery> AllDeliveries() => Deliveries.Recent(null, null, 10_000).Select(d => d.Delivery).OrderBy(d => d.Id).ToList();

    public void Dispose()
    {
        Database.Dispose();
    }
}
