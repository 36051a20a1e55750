using System.Globalization;
using System.Net;
using System.Text.Json;
using ModelWatch.LiveBench;
using ModelWatch.LoadGenerator;

if (args is ["--heap-walk", var heapPid, var heapFile])
    return ServerHeap.WriteHistogram(int.Parse(heapPid, CultureInfo.InvariantCulture), heapFile);
if (args is ["--retainer-walk", var retainerPid, var retainerType, var retainerFile])
    return HeapRetainers.Write(int.Parse(retainerPid, CultureInfo.InvariantCulture), retainerType, retainerFile);

LiveOptions options;
try { options = LiveOptions.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LiveOptions.Usage);
    return 2;
}

// A hard stop well beyond the planned time: the tool always ends by itself, and the portal with it.
using var deadline = new CancellationTokenSource(options.HardLimit);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; deadline.Cancel(); };
var dll = options.PortalDll ?? DefaultPortalDll();
Console.WriteLine($"Machine: {Machine.Describe()}; load average {Machine.LoadAverage()}");

LatencyResult? latency = null;
List<CircuitResult>? circuits = null;
if (options.Latency)
{
    await using var portal = await PortalProcess.StartAsync(dll, deadline.Token);
    Console.WriteLine($"Portal up at {portal.Url} (pid {portal.Pid}), demo off.");
    try
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.IngestClients + 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = portal.Url, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", portal.ApiKey);
        latency = await new LatencyRun(http, portal, options).RunAsync(deadline.Token);
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.Error.WriteLine($"The latency run failed: {e.Message}{Environment.NewLine}{portal.LogTail()}");
    }
}
if (options.Circuits)
{
    // Demo on: the seeded users and fraud-detector with live traffic. Development serves the build's static web assets
    // (blazor.web.js, MudBlazor, Plotly) from bin/, which Production only does from a publish folder.
    await using var portal = await PortalProcess.StartAsync(dll, deadline.Token, new Dictionary<string, string>
    {
        ["Portal__Demo__Enabled"] = "true",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        // Every page signs in from this one address: the per-address sign-in limit (10 a minute) would refuse page 11.
        ["Portal__Security__SignInAttemptsPerAddress"] = "100000",
    });
    Console.WriteLine($"Portal up at {portal.Url} (pid {portal.Pid}), demo on.");
    var run = new CircuitRun(portal, options);
    try
    {
        await WaitForDemoAsync(portal, deadline.Token);
        circuits = await run.RunAsync(deadline.Token);
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        circuits = run.Results.Count > 0 ? run.Results : null;
        Console.Error.WriteLine($"The circuit run failed: {e}{Environment.NewLine}{portal.LogTail()}");
    }
}

Console.WriteLine();
var ic = CultureInfo.InvariantCulture;
if (latency is { } l)
{
    Console.WriteLine($"Commit (202 received) to first summary holding the batch, {l.Subscribers} subscribers, {l.CommittedEventsPerSecond:N0} events/s committed (target {l.TargetEventsPerSecond:N0}), " +
                      $"{l.Batches} batches of {l.BatchSize} × {l.Subscribers} = {l.Pairs:N0} pairs; load average {l.LoadBefore} → {l.LoadAfter}");
    Console.WriteLine("| measure | p50 ms | p95 ms | p99 ms | max ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    void Row(string name, Percentiles p) => Console.WriteLine(string.Create(ic, $"| {name} | {p.P50:0.0} | {p.P95:0.0} | {p.P99:0.0} | {p.Max:0.0} |"));
    Row("**commit → receipt**", l.CommitToReceipt);
    Row("commit → summary computed (server clock)", l.CommitToCompute);
    Row("summary computed → receipt", l.ComputeToReceipt);
    Row("ingest request → 202", l.AcceptLatency);
    Console.WriteLine(string.Create(ic, $"missed pairs {l.Missed}, received before the 202 {l.BeforeAck}; {l.SummariesPerSecondPerSubscriber:0.00} summaries/s per subscriber, shortest gap {l.MinGapBetweenSummariesMs:0} ms; " +
                                        $"summary {l.SummaryBytes:N0} bytes of JSON; CPU % of one core: portal {l.ServerCpuPercent:0}, bench {l.BenchCpuPercent:0}, others {l.OtherCpuPercent:0}"));
    Console.WriteLine(l.CommitToReceipt.P95 <= 250 ? "Goal p95 ≤ 250 ms: met." : "Goal p95 ≤ 250 ms: NOT met.");
    Console.WriteLine();
}
if (circuits is { Count: > 0 })
{
    Console.WriteLine("| circuits | managed heap before → after MB | RSS before → after MB | anonymous before → after MB | managed KB/circuit | reachable KB/circuit | RSS KB/circuit | anonymous KB/circuit | load average |");
    Console.WriteLine("|---:|---|---|---|---:|---:|---:|---:|---|");
    foreach (var c in circuits)
        Console.WriteLine(string.Create(ic, $"| {c.Circuits} | {c.ManagedBeforeMb:0.0} → {c.ManagedAfterMb:0.0} | {c.RssBeforeMb:0.0} → {c.RssAfterMb:0.0} | {c.AnonBeforeMb:0.0} → {c.AnonAfterMb:0.0} | {c.ManagedPerCircuitKb:N0} | {c.ReachablePerCircuitKb:N0} | {c.RssPerCircuitKb:N0} | {c.AnonPerCircuitKb:N0} | {c.Load} |"));
    var largest = circuits.MaxBy(c => c.Circuits)!;
    if (largest.Holders.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine($"What grew, per circuit ({largest.Circuits} circuits, objects reachable from GC roots):");
        Console.WriteLine("| type | objects/circuit | KB/circuit |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var h in largest.Holders.Take(25)) Console.WriteLine(string.Create(ic, $"| `{h.Type}` | {h.CountPerCircuit:0.#} | {h.KbPerCircuit:0.0} |"));
    }
}
if (options.JsonOut is { } json)
    await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { machine = Machine.Describe(), latency, circuits }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
return (options.Latency && latency is null) || (options.Circuits && circuits is null) ? 1 : 0;

static async Task WaitForDemoAsync(PortalProcess portal, CancellationToken cancellationToken)
{
    using var http = new HttpClient { BaseAddress = portal.Url };
    http.DefaultRequestHeaders.Add("X-Api-Key", portal.ApiKey);
    for (var i = 0; i < 150; i++)
    {
        using var response = await http.GetAsync("/api/v1/models/fraud-detector", cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK) return;
        await Task.Delay(200, cancellationToken);
    }
    throw new TimeoutException("The demo did not register fraud-detector within 30 s.");
}

static string DefaultPortalDll()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            return Path.Combine(dir.FullName, "src", "Portal", "bin", "Release", "net10.0", "ModelWatch.Portal.dll");
    throw new InvalidOperationException("Could not find Portal.sln above the benchmark; pass --portal-dll.");
}
