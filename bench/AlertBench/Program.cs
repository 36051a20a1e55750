using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Windows;

// 10,000 rules over 1,000 models, evaluated round after round: CPU per round of AlertEvaluator.Evaluate.
// Summaries come from a reader that hands out one ready ModelSummary per model, so the figure is the evaluator's own
// cost (rules, series state machines, persistence), not the summary service's (measured in Engine.Bench).
var models = args.Length > 0 ? int.Parse(args[0]) : 1_000;
var rulesPerModel = args.Length > 1 ? int.Parse(args[1]) : 10;
var rounds = args.Length > 2 ? int.Parse(args[2]) : 10;

var folder = Path.Combine(Path.GetTempPath(), "modelwatch-alertbench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var clock = TimeProvider.System;
var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "portal.db")}", Synchronous = "NORMAL" }));
new MigrationRunner(connections, clock, NullLogger<MigrationRunner>.Instance).Migrate();
var registry = new RegistryStore(connections, clock);
var audit = new AuditLog(connections, clock);
var ownership = new OwnershipStore(connections, registry, audit, clock);
var ruleStore = new AlertRuleStore(connections);
var alerts = new AlertStore(connections);
var summaries = new FixedSummaries(clock);

for (var t = 0; t < 10; t++) registry.CreateTeam(new NewTeam($"team-{t}", $"Team {t}"));
var features = Enumerable.Range(0, 8).Select(f => new NewFeature($"f{f}", "numerical", 0, 100)).ToList();
for (var m = 0; m < models; m++) registry.CreateModel(new NewModel($"model-{m:D4}", $"Model {m}", "binary-classification", $"team-{m % 10}", features));

// Rules go in with one transaction: the benchmark is about evaluation, not about 10,000 audited creations.
var templates = new[]
{
    """{ "signal": "latency", "metric": "p95", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""",
    """{ "signal": "errorRate", "window": "5m", "condition": { "type": "threshold", "op": ">", "value": 0.05 } }""",
    """{ "signal": "featureDrift", "window": "1h", "condition": { "type": "threshold", "op": ">", "value": 0.2 } }""",
    """{ "signal": "throughput", "window": "5m", "condition": { "type": "relative", "op": "<", "value": -50 } }""",
    """{ "signal": "latency", "metric": "p99", "window": "1h", "condition": { "type": "band", "k": 3 } }""",
};
var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
using (var connection = connections.Open())
using (var transaction = connection.BeginTransaction())
{
    var n = 0;
    for (var m = 0; m < models; m++)
        for (var r = 0; r < rulesPerModel; r++, n++)
        {
            var spec = JsonSerializer.Deserialize<AlertRuleSpec>(templates[r % templates.Length], web)! with { Name = $"rule {r}", Model = $"model-{m:D4}" };
            var rule = RuleValidation.Validate($"rule_{n:D6}", spec, registry).Value ?? throw new InvalidOperationException("a template rule is invalid");
            ruleStore.Insert(connection, transaction, rule, "bench", clock.GetUtcNow());
        }
    transaction.Commit();
}

var evaluator = new AlertEvaluator(ruleStore, alerts, registry, ownership, summaries, connections, clock,
    Options.Create(new AlertingOptions()), NullLogger<AlertEvaluator>.Instance);
var process = Process.GetCurrentProcess();
var first = evaluator.Evaluate(); // loads series and rules, inserts the first series rows
Console.WriteLine($"first round: {first.Rules} rules, {first.Series} series, {first.Summaries} summaries, {first.Transitions} transitions");
var cpu = new List<double>();
var wall = new List<double>();
for (var i = 0; i < rounds; i++)
{
    summaries.Vary(i);
    process.Refresh();
    var before = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var report = evaluator.Evaluate();
    watch.Stop();
    process.Refresh();
    cpu.Add((process.TotalProcessorTime - before).TotalMilliseconds);
    wall.Add(watch.Elapsed.TotalMilliseconds);
    Console.WriteLine($"round {i + 1}: {report.Series} series, {report.Transitions} transitions, {cpu[^1]:F0} ms CPU, {wall[^1]:F0} ms wall");
}
cpu.Sort();
wall.Sort();
Console.WriteLine($"{models} models × {rulesPerModel} rules: median {cpu[cpu.Count / 2]:F0} ms CPU per round (max {cpu[^1]:F0}), median {wall[wall.Count / 2]:F0} ms wall");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
try { Directory.Delete(folder, recursive: true); } catch (IOException) { }

/// <summary>One ModelSummary per model and window, built once per round; round i moves the numbers so that some series change state.</summary>
sealed class FixedSummaries(TimeProvider clock) : ISummaryReader
{
    private int _round;

    public void Vary(int round) => _round = round;

    public ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null)
    {
        var now = clock.GetUtcNow();
        var index = int.Parse(modelId.AsSpan(6));
        // Every tenth model breaches in odd rounds: fires, then resolves.
        var slow = index % 10 == 0 && _round % 2 == 1;
        var p95 = slow ? 200.0 : 40 + index % 7;
        var drift = Enumerable.Range(0, 8).Select(f => new FeatureDrift($"f{f}", "numerical", "wasserstein", 0.05 + f * 0.01, 0.1, false,
            5000, 1000, null, null, null, null, 0.05, false, null, null)).ToList();
        return new ModelSummary(modelId, modelId, "binary-classification", $"team-{index % 10}", window.ToName(), null, now - window.Length(), now, now,
            new TrafficSummary(1000, 1000 / window.Length().TotalSeconds, 0, 0.01, now),
            new DriftSummary("baseline", drift, drift.Count, 0, 0, 0.5, false, null),
            new PredictionSummary(1000, 0.5, null, null, null, null), [],
            new PerformanceSummary(1000, 0, null, null, null, null, "no labels"),
            new LatencySummary(1000, p95 / 2, p95, p95, p95 * 1.2, null, null),
            new SystemSummary(0, null, null, null, 0), new CostSummary(0, null, 0, null, null, null));
    }

    public ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null) => null;
}
