using System.Globalization;

namespace ModelWatch.LoadGenerator;

/// <summary>Command-line settings. Every run is bounded: a duration and a request cap per batch size.</summary>
public sealed record LoadOptions
{
    public Uri? Url { get; init; }
    public string? ApiKey { get; init; }
    public string? PortalDll { get; init; }
    public int[] BatchSizes { get; init; } = [1, 100, 1000];
    /// <summary>Concurrent clients per batch size (one value applies to all). Few large batches keep queueing latency low.</summary>
    public int[] Clients { get; init; } = [32, 8, 4];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public long MaxRequests { get; init; } = 1_000_000;
    public int PoolSize { get; init; } = 32;
    public string? JsonOut { get; init; }

    public const string Usage = """
        ModelWatch load generator: posts prediction batches over loopback and reports committed events/s and accept latency.

          --url URL            target a running portal (loopback only); needs --api-key. Default: start the built portal.
          --api-key KEY        admin API key of the portal given by --url
          --portal-dll PATH    ModelWatch.Portal.dll to start (default: src/Portal/bin/Release/net10.0 of this repository)
          --batch-sizes LIST   events per request, e.g. 1,100,1000 (default)
          --clients LIST       concurrent clients per batch size, e.g. 32,8,4 (default), or one number for all
          --duration SECONDS   measured time per batch size (default 20, at most 600)
          --warmup SECONDS     unmeasured time before each measurement (default 3)
          --max-requests N     stop a batch size after N requests even if time remains (default 1000000)
          --pool N             distinct pre-serialised bodies per batch size (default 32)
          --json PATH          also write the results as JSON
        """;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = name switch
            {
                "--url" => o with { Url = new Uri(Next()) },
                "--api-key" => o with { ApiKey = Next() },
                "--portal-dll" => o with { PortalDll = Next() },
                "--batch-sizes" => o with { BatchSizes = Ints(Next()) },
                "--clients" => o with { Clients = Ints(Next()) },
                "--duration" => o with { Duration = Seconds(Next(), min: 0.5, max: 600) },
                "--warmup" => o with { Warmup = Seconds(Next(), min: 0, max: 60) },
                "--max-requests" => o with { MaxRequests = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pool" => o with { PoolSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--json" => o with { JsonOut = Next() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        if (o.Url is not null && !o.Url.IsLoopback) throw new ArgumentException("--url must be a loopback address: this tool only loads the local machine.");
        if (o.Url is not null && string.IsNullOrEmpty(o.ApiKey)) throw new ArgumentException("--url needs --api-key (an admin key of that portal).");
        if (o.BatchSizes.Any(b => b is < 1 or > 10_000)) throw new ArgumentException("Batch sizes must be from 1 to 10000.");
        if (o.Clients.Length != 1 && o.Clients.Length != o.BatchSizes.Length) throw new ArgumentException("--clients takes one number or one per batch size.");
        if (o.Clients.Any(c => c is < 1 or > 256)) throw new ArgumentException("Clients must be from 1 to 256.");
        if (o.PoolSize is < 1 or > 1024) throw new ArgumentException("--pool must be from 1 to 1024.");
        return o;
    }

    public int ClientsFor(int index) => Clients.Length == 1 ? Clients[0] : Clients[index];

    private static int[] Ints(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static TimeSpan Seconds(string text, double min, double max)
    {
        var s = double.Parse(text, CultureInfo.InvariantCulture);
        if (s < min || s > max) throw new ArgumentException($"Seconds must be from {min} to {max} (got {text}).");
        return TimeSpan.FromSeconds(s);
    }
}
