using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelWatch.LoadGenerator;

/// <summary>What one batch size achieved. Only 202 answers count as committed events.</summary>
public sealed record PhaseResult(
    int BatchSize, int Clients, long Requests, long Events, double Seconds, double EventsPerSecond,
    double P50Ms, double P99Ms, double MaxMs, long Throttled, long Errors, double ServerCpuPercent, double ClientCpuPercent, double OtherCpuPercent,
    long StoredByPortal, long AcceptedInTotal, bool Verified);

/// <summary>Posts pre-serialised prediction batches from N concurrent clients for a fixed time, then checks the stats.</summary>
public sealed class IngestionLoad(HttpClient http, Func<TimeSpan>? serverCpu)
{
    private const string Version = "1.0.0";

    public async Task<PhaseResult> RunAsync(string runId, int batchSize, int clients, LoadOptions options, CancellationToken cancellationToken)
    {
        var modelId = $"{runId}-b{batchSize}";
        await RegisterModelAsync(runId, modelId, cancellationToken);
        var pool = new BodyPool(runId, batchSize, options.PoolSize, Version, DateTimeOffset.UtcNow, seed: batchSize);
        var path = $"/api/v1/models/{modelId}/predictions";

        var state = new PhaseState(options.MaxRequests);
        var clock = Stopwatch.StartNew();
        var measureFrom = options.Warmup;
        var stopAt = options.Warmup + options.Duration;
        TimeSpan serverCpuAtStart = default, clientCpuAtStart = default;
        TimeSpan? machineCpuAtStart = null;
        var measureStarted = 0;

        async Task Client(int n)
        {
            var buffer = new byte[pool.MaxBodyLength];
            var latencies = new List<long>(4096);
            var request = n;
            while (clock.Elapsed < stopAt && !cancellationToken.IsCancellationRequested && Interlocked.Increment(ref state.Started) <= options.MaxRequests)
            {
                if (clock.Elapsed >= measureFrom && Interlocked.Exchange(ref measureStarted, 1) == 0)
                {
                    serverCpuAtStart = serverCpu?.Invoke() ?? default;
                    clientCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                    machineCpuAtStart = MachineCpu.BusyTime();
                    state.MeasuredFromTicks = clock.Elapsed.Ticks;
                }
                var length = pool.Next(buffer, request);
                request += clients;
                while (true)
                {
                    var measured = clock.Elapsed >= measureFrom;
                    var sent = Stopwatch.GetTimestamp();
                    using var content = new ByteArrayContent(buffer, 0, length);
                    content.Headers.ContentType = JsonType;
                    using var response = await http.PostAsync(path, content, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var elapsed = Stopwatch.GetTimestamp() - sent;
                        var accepted = await ReadAcceptedAsync(response, cancellationToken);
                        Interlocked.Add(ref state.AcceptedTotal, accepted);
                        if (measured)
                        {
                            latencies.Add(elapsed);
                            Interlocked.Increment(ref state.Requests);
                            Interlocked.Add(ref state.Events, accepted);
                            InterlockedMax(ref state.MeasuredUntilTicks, clock.Elapsed.Ticks);
                        }
                        break;
                    }
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        if (measured) Interlocked.Increment(ref state.Throttled);
                        var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                        await Task.Delay(wait, cancellationToken); // then send the same events again
                        continue;
                    }
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (Interlocked.Increment(ref state.Errors) == 1)
                        Console.Error.WriteLine($"  first error: {(int)response.StatusCode} {text[..Math.Min(text.Length, 400)]}");
                    if (state.Errors > 10) return;
                    break;
                }
            }
            lock (state.Latencies) state.Latencies.AddRange(latencies);
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(n => Task.Run(() => Client(n), cancellationToken)));
        var serverCpuUsed = (serverCpu?.Invoke() ?? default) - serverCpuAtStart;
        var clientCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - clientCpuAtStart;
        var machineCpuUsed = MachineCpu.BusyTime() - machineCpuAtStart;

        var seconds = TimeSpan.FromTicks(state.MeasuredUntilTicks - state.MeasuredFromTicks).TotalSeconds;
        var sorted = state.Latencies.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        var stored = await StoredPredictionsAsync(modelId, cancellationToken);
        return new PhaseResult(
            batchSize, clients, state.Requests, state.Events, seconds, seconds > 0 ? state.Events / seconds : 0,
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length > 0 ? sorted[^1] : 0, state.Throttled, state.Errors,
            serverCpu is null || seconds <= 0 ? double.NaN : 100 * serverCpuUsed.TotalSeconds / seconds,
            seconds <= 0 ? double.NaN : 100 * clientCpuUsed.TotalSeconds / seconds,
            serverCpu is null || machineCpuUsed is not { } machine || seconds <= 0 ? double.NaN : 100 * (machine - serverCpuUsed - clientCpuUsed).TotalSeconds / seconds,
            stored, state.AcceptedTotal, stored == state.AcceptedTotal);
    }

    private sealed class PhaseState(long maxRequests)
    {
        public long Started, Requests, Events, AcceptedTotal, Throttled, Errors, MeasuredFromTicks, MeasuredUntilTicks;
        public readonly List<long> Latencies = new((int)Math.Min(maxRequests, 1 << 20));
    }

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public async Task RegisterTeamAsync(string team, CancellationToken cancellationToken) =>
        await Expect(await http.PostAsJsonAsync("/api/v1/teams", new { id = team, name = "Load generator " + team }, cancellationToken), HttpStatusCode.Created, "create the team");

    private async Task RegisterModelAsync(string team, string modelId, CancellationToken cancellationToken)
    {
        await Expect(await http.PostAsJsonAsync("/api/v1/models", new
        {
            id = modelId, name = "Load test " + modelId, task = "binary-classification", team,
            features = BodyPool.FeatureSchema(),
        }, cancellationToken), HttpStatusCode.Created, "register the model");
        await Expect(await http.PostAsJsonAsync($"/api/v1/models/{modelId}/versions", new
        {
            version = Version, hyperparameters = new { }, trainingData = "synthetic", metrics = new { auc = 0.9 },
        }, cancellationToken), HttpStatusCode.Created, "register the version");
    }

    private async Task<long> StoredPredictionsAsync(string modelId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/v1/models/{modelId}", cancellationToken);
        await Expect(response, HttpStatusCode.OK, "read the model's stats");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("stats").GetProperty("predictions").GetInt64();
    }

    private static async Task<int> ReadAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var reader = new Utf8JsonReader(bytes);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted") && reader.Read()) return reader.GetInt32();
        throw new InvalidOperationException("A 202 answer without \"accepted\": " + System.Text.Encoding.UTF8.GetString(bytes));
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode == status) return;
        var text = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {text}");
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
