using System.Globalization;
using System.Net;
using System.Text.Json;
using ModelWatch.LoadGenerator;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// A hard stop well beyond the planned time: the tool always ends by itself.
var planned = (options.Warmup + options.Duration) * options.BatchSizes.Length;
using var deadline = new CancellationTokenSource(planned + TimeSpan.FromMinutes(2));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; deadline.Cancel(); };

PortalProcess? portal = null;
try
{
    if (options.Url is null)
    {
        var dll = options.PortalDll ?? DefaultPortalDll();
        Console.WriteLine($"Starting {dll} …");
        portal = await PortalProcess.StartAsync(dll, deadline.Token);
        Console.WriteLine($"Portal up at {portal.Url} (pid {portal.Pid}).");
    }
    var url = portal?.Url ?? options.Url!;
    var apiKey = portal?.ApiKey ?? options.ApiKey!;
    var maxClients = options.BatchSizes.Select((_, i) => options.ClientsFor(i)).Max();
    using var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = maxClients + 2,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    };
    using var http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
    http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);

    var runId = "lg-" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
    var load = new IngestionLoad(http, portal is null ? null : portal.CpuTime);
    await load.RegisterTeamAsync(runId, deadline.Token);
    var results = new List<PhaseResult>();
    for (var i = 0; i < options.BatchSizes.Length; i++)
    {
        var size = options.BatchSizes[i];
        var clients = options.ClientsFor(i);
        Console.WriteLine($"Batch size {size}: {clients} clients, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s measured …");
        var result = await load.RunAsync(runId, size, clients, options, deadline.Token);
        results.Add(result);
        Console.WriteLine($"  {result.EventsPerSecond,12:N0} events/s  p50 {result.P50Ms:0.0} ms  p99 {result.P99Ms:0.0} ms  429s {result.Throttled}  errors {result.Errors}  other processes {result.OtherCpuPercent:0}% CPU  " +
                          $"stored {result.StoredByPortal:N0} / accepted {result.AcceptedInTotal:N0} {(result.Verified ? "ok" : "MISMATCH")}");
    }

    Console.WriteLine();
    Console.WriteLine("| batch | clients | requests | events | seconds | committed events/s | p50 ms | p99 ms | max ms | 429s | errors | server CPU % | loadgen CPU % | other CPU % | stats check |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    foreach (var r in results)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.BatchSize:N0} | {r.Clients} | {r.Requests:N0} | {r.Events:N0} | {r.Seconds:0.0} | {r.EventsPerSecond:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Throttled} | {r.Errors} | {r.ServerCpuPercent:0} | {r.ClientCpuPercent:0} | {r.OtherCpuPercent:0} | {(r.Verified ? $"{r.StoredByPortal:N0} = {r.AcceptedInTotal:N0}" : $"MISMATCH {r.StoredByPortal:N0} ≠ {r.AcceptedInTotal:N0}")} |"));
    if (options.JsonOut is { } json)
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), deadline.Token);
    return results.All(r => r.Verified && r.Errors == 0) ? 0 : 1;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine(deadline.IsCancellationRequested ? "Stopped: the time limit was reached or Ctrl+C was pressed." : e.Message);
    if (portal is not null)
        Console.Error.WriteLine($"The portal {(portal.HasExited ? "has exited" : "is running")}; the end of its output:{Environment.NewLine}{portal.LogTail()}");
    return 1;
}
finally
{
    if (portal is not null) await portal.DisposeAsync();
}

static string DefaultPortalDll()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            return Path.Combine(dir.FullName, "src", "Portal", "bin", "Release", "net10.0", "ModelWatch.Portal.dll");
    throw new InvalidOperationException("Could not find Portal.sln above the load generator; pass --portal-dll.");
}
