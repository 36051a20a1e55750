using System.Globalization;

namespace ModelWatch.LiveBench;

/// <summary>Command-line settings. Every part is bounded in time; the tool stops by itself.</summary>
public sealed record LiveOptions
{
    public string? PortalDll { get; init; }
    public bool Latency { get; init; } = true;
    public bool Circuits { get; init; } = true;
    public int Subscribers { get; init; } = 200;
    public int EventsPerSecond { get; init; } = 10_000;
    public int BatchSize { get; init; } = 500;
    public int IngestClients { get; init; } = 4;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public int[] CircuitCounts { get; init; } = [20, 40];
    public bool Types { get; init; } = true;
    public string Chromium { get; init; } = "/usr/bin/chromium";
    public string? JsonOut { get; init; }
    public string? RetainersOf { get; init; }

    public const string Usage = """
        ModelWatch live benchmark: commit-to-receipt latency of the public hub, and server memory per Blazor circuit.
        Starts the built portal itself (free loopback port, temporary database) and kills it at the end.

          --portal-dll PATH      ModelWatch.Portal.dll to start (default: src/Portal/bin/Release/net10.0 of this repository)
          --only latency|circuits  run one part only (default: both)
          --subscribers N        SignalR clients subscribed to the model (default 200)
          --rate N               events per second to ingest (default 10000)
          --batch N              events per request (default 500)
          --ingest-clients N     concurrent HTTP clients posting the batches (default 4)
          --duration SECONDS     ingestion time (default 30, at most 300)
          --warmup SECONDS       first part of the ingestion left out of the figures (default 3)
          --circuits LIST        browser pages to open, one measurement each, e.g. 20,40 (default)
          --no-types             skip the heap walk that lists what the circuits hold
          --chromium PATH        browser to drive (default /usr/bin/chromium; nothing is downloaded)
          --json PATH            also write the results as JSON
          --retainers TYPE       with circuits open, print what keeps objects of TYPE alive (chains back to a GC root)
        """;

    public static LiveOptions Parse(string[] args)
    {
        var o = new LiveOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = name switch
            {
                "--portal-dll" => o with { PortalDll = Next() },
                "--only" => Next() switch
                {
                    "latency" => o with { Circuits = false },
                    "circuits" => o with { Latency = false },
                    var other => throw new ArgumentException($"--only takes latency or circuits, not '{other}'."),
                },
                "--subscribers" => o with { Subscribers = Int(Next(), 1, 2_000) },
                "--rate" => o with { EventsPerSecond = Int(Next(), 1, 200_000) },
                "--batch" => o with { BatchSize = Int(Next(), 1, 10_000) },
                "--ingest-clients" => o with { IngestClients = Int(Next(), 1, 64) },
                "--duration" => o with { Duration = TimeSpan.FromSeconds(Int(Next(), 5, 300)) },
                "--warmup" => o with { Warmup = TimeSpan.FromSeconds(Int(Next(), 0, 60)) },
                "--circuits" => o with { CircuitCounts = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Int(s, 1, 200)).ToArray() },
                "--no-types" => o with { Types = false },
                "--chromium" => o with { Chromium = Next() },
                "--json" => o with { JsonOut = Next() },
                "--retainers" => o with { RetainersOf = Next() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        if (o.Warmup >= o.Duration) throw new ArgumentException("--warmup must be shorter than --duration.");
        return o;
    }

    /// <summary>A generous upper bound on the run, after which everything is stopped.</summary>
    public TimeSpan HardLimit =>
        TimeSpan.FromMinutes(3) + (Latency ? Duration + TimeSpan.FromSeconds(Subscribers / 5.0 + 60) : TimeSpan.Zero)
                                + (Circuits ? TimeSpan.FromSeconds(CircuitCounts.Sum() * 15 + 180) : TimeSpan.Zero);

    private static int Int(string text, int min, int max)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        if (value < min || value > max) throw new ArgumentException($"Expected a number from {min} to {max}, got {text}.");
        return value;
    }
}
