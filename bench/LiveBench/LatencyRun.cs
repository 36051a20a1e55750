using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ModelWatch.LoadGenerator;

namespace ModelWatch.LiveBench;

/// <summary>Commit-to-receipt figures over all (batch, subscriber) pairs. Times in milliseconds.</summary>
public sealed record LatencyResult(
    int Subscribers, int BatchSize, int IngestClients, double TargetEventsPerSecond, double CommittedEventsPerSecond, long Batches, long Events,
    long Pairs, long Missed, long BeforeAck,
    Percentiles CommitToReceipt, Percentiles CommitToCompute, Percentiles ComputeToReceipt, Percentiles AcceptLatency,
    double SummariesPerSecondPerSubscriber, double MinGapBetweenSummariesMs, int SummaryBytes,
    double ServerCpuPercent, double BenchCpuPercent, double OtherCpuPercent, string LoadBefore, string LoadAfter);

public sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0) return new(double.NaN, double.NaN, double.NaN, double.NaN);
        values.Sort();
        double At(double p) => values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
        return new(At(0.50), At(0.95), At(0.99), values[^1]);
    }
}

/// <summary>
/// N SignalR subscribers of one model while HTTP clients ingest at a fixed rate. A batch counts as received by a
/// subscriber at the first "summary" whose traffic.predictions reaches the number of events acknowledged (202) up to
/// and including that batch: commits are serial and the buckets fold them in order, so such a summary holds it.
/// </summary>
public sealed class LatencyRun(HttpClient http, PortalProcess portal, LiveOptions options)
{
    private const string Version = "1.0.0";

    // Only what the measurement needs: the hub protocol skips the rest of the summary while parsing.
    public sealed record SummaryProbe(DateTimeOffset ComputedAt, TrafficProbe Traffic);
    public sealed record TrafficProbe(long Predictions);

    private readonly record struct Receipt(long Timestamp, DateTime Utc, long Predictions, DateTime ComputedUtc);
    private readonly record struct Ack(long Due, long Timestamp, DateTime Utc, int Accepted, double AcceptMs);

    private sealed class Subscriber
    {
        public required HubConnection Connection { get; init; }
        public readonly List<Receipt> Receipts = new(512);
        public long Latest = -1;
    }

    public async Task<LatencyResult> RunAsync(CancellationToken cancellationToken)
    {
        var loadBefore = Machine.LoadAverage();
        var runId = "live-" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var modelId = runId + "-model";
        await RegisterAsync(runId, modelId, cancellationToken);

        Console.WriteLine($"Connecting {options.Subscribers} subscribers (WebSockets) …");
        var subscribers = await ConnectAsync(modelId, cancellationToken);
        try
        {
            // Every subscriber's first summary (a new subscription is served on the next round) proves it is live.
            await WaitUntil(() => subscribers.All(s => s.Latest >= 0), TimeSpan.FromSeconds(30), cancellationToken,
                () => $"{subscribers.Count(s => s.Latest < 0)} subscribers got no first summary");
            Console.WriteLine($"Ingesting {options.EventsPerSecond:N0} events/s in batches of {options.BatchSize} from {options.IngestClients} clients for {options.Duration.TotalSeconds:0} s …");

            var pool = new BodyPool(runId, options.BatchSize, 32, Version, DateTimeOffset.UtcNow, seed: 7);
            var acks = new List<Ack>();
            var interval = Stopwatch.Frequency * (double)options.BatchSize / options.EventsPerSecond;
            var batches = (long)Math.Ceiling(options.Duration.TotalSeconds * options.EventsPerSecond / options.BatchSize);
            var warmupTicks = (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
            long next = -1, errors = 0;
            var start = Stopwatch.GetTimestamp();
            var serverCpu0 = portal.CpuTime();
            var benchCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var machine0 = MachineCpu.BusyTime();
            var path = $"/api/v1/models/{modelId}/predictions";

            async Task Client()
            {
                var buffer = new byte[pool.MaxBodyLength];
                while (!cancellationToken.IsCancellationRequested)
                {
                    var k = Interlocked.Increment(ref next);
                    if (k >= batches) return;
                    var due = start + (long)(k * interval);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
                    var length = pool.Next(buffer, (int)k);
                    using var content = new ByteArrayContent(buffer, 0, length);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync(path, content, cancellationToken);
                    var acked = Stopwatch.GetTimestamp();
                    var ackedUtc = DateTime.UtcNow;
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        if (Interlocked.Increment(ref errors) == 1)
                            Console.Error.WriteLine($"  first error: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                        continue;
                    }
                    var body = await response.Content.ReadFromJsonAsync<AcceptedBody>(cancellationToken);
                    lock (acks) acks.Add(new Ack(due - start, acked, ackedUtc, body!.Accepted, (acked - sent) * 1000.0 / Stopwatch.Frequency));
                }
            }

            await Task.WhenAll(Enumerable.Range(0, options.IngestClients).Select(_ => Task.Run(Client, cancellationToken)));
            var ingestSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var serverCpu = (portal.CpuTime() - serverCpu0).TotalSeconds / ingestSeconds * 100;
            var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - benchCpu0).TotalSeconds / ingestSeconds * 100;
            var machineCpu = MachineCpu.BusyTime() - machine0;
            var otherCpu = machineCpu is { } m ? m.TotalSeconds / ingestSeconds * 100 - serverCpu - benchCpu : double.NaN;
            var total = acks.Sum(a => (long)a.Accepted);
            await WaitUntil(() => subscribers.All(s => s.Latest >= total), TimeSpan.FromSeconds(10), cancellationToken, () => "");
            var summaryBytes = (await http.GetByteArrayAsync($"/api/v1/models/{modelId}/summary?window=5m", cancellationToken)).Length;
            var loadAfter = Machine.LoadAverage();
            if (errors > 0) Console.Error.WriteLine($"  {errors} batches were not accepted.");

            return Analyse(subscribers, acks, warmupTicks, ingestSeconds, summaryBytes, serverCpu, benchCpu, otherCpu, loadBefore, loadAfter);
        }
        finally
        {
            await Task.WhenAll(subscribers.Select(s => s.Connection.DisposeAsync().AsTask()));
        }
    }

    private LatencyResult Analyse(Subscriber[] subscribers, List<Ack> acks, long warmupTicks, double ingestSeconds, int summaryBytes,
        double serverCpu, double benchCpu, double otherCpu, string loadBefore, string loadAfter)
    {
        acks.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        var cumulative = new long[acks.Count];
        long running = 0;
        for (var i = 0; i < acks.Count; i++) cumulative[i] = running += acks[i].Accepted;

        List<double> receipt = [], compute = [], delivery = [];
        long pairs = 0, missed = 0, early = 0;
        double minGap = double.PositiveInfinity;
        long summaries = 0;
        foreach (var s in subscribers)
        {
            var r = s.Receipts;
            var reached = new long[r.Count];
            long max = -1;
            for (var i = 0; i < r.Count; i++) reached[i] = max = Math.Max(max, r[i].Predictions);
            for (var i = 1; i < r.Count; i++)
                if (r[i].ComputedUtc != r[i - 1].ComputedUtc) minGap = Math.Min(minGap, (r[i].ComputedUtc - r[i - 1].ComputedUtc).TotalMilliseconds);
            summaries += r.Count;
            for (var a = 0; a < acks.Count; a++)
            {
                if (acks[a].Due < warmupTicks) continue;
                pairs++;
                var at = FirstAtLeast(reached, cumulative[a]);
                if (at < 0) { missed++; continue; }
                var ms = (r[at].Timestamp - acks[a].Timestamp) * 1000.0 / Stopwatch.Frequency;
                if (ms < 0) { early++; ms = 0; }
                receipt.Add(ms);
                compute.Add((r[at].ComputedUtc - acks[a].Utc).TotalMilliseconds);
                delivery.Add((r[at].Utc - r[at].ComputedUtc).TotalMilliseconds);
            }
        }
        var measured = acks.Where(a => a.Due >= warmupTicks).ToList();
        var measuredSeconds = measured.Count == 0 ? 0 : (measured[^1].Timestamp - measured[0].Timestamp) / (double)Stopwatch.Frequency;
        return new LatencyResult(
            subscribers.Length, options.BatchSize, options.IngestClients, options.EventsPerSecond,
            measuredSeconds > 0 ? measured.Sum(a => (double)a.Accepted) / measuredSeconds : double.NaN, measured.Count, measured.Sum(a => (long)a.Accepted),
            pairs, missed, early, Percentiles.Of(receipt), Percentiles.Of(compute), Percentiles.Of(delivery), Percentiles.Of(measured.Select(a => a.AcceptMs).ToList()),
            summaries / (double)subscribers.Length / ingestSeconds, minGap, summaryBytes, serverCpu, benchCpu, otherCpu, loadBefore, loadAfter);
    }

    private static int FirstAtLeast(long[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] >= value) hi = mid; else lo = mid + 1;
        }
        return lo < sorted.Length ? lo : -1;
    }

    private async Task<Subscriber[]> ConnectAsync(string modelId, CancellationToken cancellationToken)
    {
        var subscribers = new Subscriber[options.Subscribers];
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, subscribers.Length).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(portal.Url, "/hubs/live"), HttpTransportType.WebSockets, o =>
                    {
                        o.Headers["X-Api-Key"] = portal.ApiKey;
                        o.SkipNegotiation = true;
                    })
                    .Build();
                var subscriber = new Subscriber { Connection = connection };
                // Handlers of one connection run one at a time, so the list needs no lock while the run goes on.
                connection.On<SummaryProbe>("summary", m =>
                {
                    subscriber.Receipts.Add(new Receipt(Stopwatch.GetTimestamp(), DateTime.UtcNow, m.Traffic.Predictions, m.ComputedAt.UtcDateTime));
                    Volatile.Write(ref subscriber.Latest, m.Traffic.Predictions);
                });
                await connection.StartAsync(cancellationToken);
                await connection.InvokeAsync("Subscribe", modelId, "5m", cancellationToken);
                subscribers[i] = subscriber;
            }
            finally { gate.Release(); }
        }));
        return subscribers;
    }

    private async Task RegisterAsync(string team, string modelId, CancellationToken cancellationToken)
    {
        await Expect(await http.PostAsJsonAsync("/api/v1/teams", new { id = team, name = "Live benchmark " + team }, cancellationToken), HttpStatusCode.Created, "create the team");
        await Expect(await http.PostAsJsonAsync("/api/v1/models", new
        {
            id = modelId, name = "Live benchmark " + modelId, task = "binary-classification", team, features = BodyPool.FeatureSchema(),
        }, cancellationToken), HttpStatusCode.Created, "register the model");
        await Expect(await http.PostAsJsonAsync($"/api/v1/models/{modelId}/versions", new
        {
            version = Version, hyperparameters = new { }, trainingData = "synthetic", metrics = new { auc = 0.9 },
        }, cancellationToken), HttpStatusCode.Created, "register the version");
        await Expect(await http.PostAsJsonAsync($"/api/v1/models/{modelId}/versions/{Version}/reference", new { rows = ReferenceRows(2_000) }, cancellationToken),
            HttpStatusCode.Created, "upload the reference");
    }

    /// <summary>A baseline drawn like the load generator's events, so drift is computed against a real reference.</summary>
    private static object[] ReferenceRows(int count)
    {
        var random = new Random(11);
        string[] countries = ["DE", "FR", "US", "GB", "IT", "ES", "NL", "PL"], channels = ["web", "app", "pos"], devices = ["ios", "android", "desktop"],
            categories = ["grocery", "travel", "electronics", "fashion", "other"];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var prediction = Math.Round(random.NextDouble(), 4);
            return (object)new
            {
                features = new Dictionary<string, object>
                {
                    ["amount"] = Math.Round(random.NextDouble() * 2_000, 4), ["account_age_days"] = random.Next(0, 3_650),
                    ["risk_score"] = Math.Round(random.NextDouble(), 4), ["items"] = random.Next(1, 20),
                    ["distance_km"] = Math.Round(random.NextDouble() * 500, 4), ["hour"] = random.Next(0, 24),
                    ["country"] = countries[random.Next(countries.Length)], ["channel"] = channels[random.Next(channels.Length)],
                    ["device"] = devices[random.Next(devices.Length)], ["merchant_category"] = categories[random.Next(categories.Length)],
                },
                prediction,
                label = random.NextDouble() < prediction ? 1 : 0,
            };
        }).ToArray();
    }

    private sealed record AcceptedBody(int Accepted);

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                var reason = failure();
                if (reason.Length > 0) throw new TimeoutException(reason);
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    internal static async Task Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode == status) return;
        throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
