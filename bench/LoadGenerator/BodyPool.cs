using System.Globalization;
using System.Text;

namespace ModelWatch.LoadGenerator;

/// <summary>
/// Request bodies serialised once, up front. Each holds fixed-width event ids and timestamps, stamped per request with a
/// fresh sequence number and the current time: every event sent is distinct and recent, as from a live service,
/// and the client spends a memcpy, not a serialiser.
/// </summary>
public sealed class BodyPool
{
    public const int IdDigits = 12;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const int TimestampLength = 24;
    private readonly Template[] _templates;
    private long _sequence;

    private sealed record Template(byte[] Body, int[] IdOffsets, int[] TimestampOffsets);

    public BodyPool(string runId, int batchSize, int poolSize, string version, DateTimeOffset now, int seed)
    {
        BatchSize = batchSize;
        var random = new Random(seed);
        _templates = new Template[poolSize];
        for (var i = 0; i < poolSize; i++) _templates[i] = Build(runId, batchSize, version, now, random);
        MaxBodyLength = _templates.Max(t => t.Body.Length);
    }

    public int BatchSize { get; }
    public int MaxBodyLength { get; }

    /// <summary>Copies a template into <paramref name="buffer"/> with unique ids and the current time; returns the body length.</summary>
    public int Next(byte[] buffer, int request)
    {
        var template = _templates[request % _templates.Length];
        template.Body.CopyTo(buffer, 0);
        var first = Interlocked.Add(ref _sequence, BatchSize) - BatchSize;
        for (var i = 0; i < template.IdOffsets.Length; i++) Stamp(buffer.AsSpan(template.IdOffsets[i], IdDigits), first + i);
        Span<byte> now = stackalloc byte[TimestampLength];
        if (!DateTime.UtcNow.TryFormat(now, out var written, TimestampFormat, CultureInfo.InvariantCulture) || written != TimestampLength)
            throw new InvalidOperationException("Unexpected timestamp width.");
        foreach (var offset in template.TimestampOffsets) now.CopyTo(buffer.AsSpan(offset));
        return template.Body.Length;
    }

    private static void Stamp(Span<byte> digits, long value)
    {
        for (var d = digits.Length - 1; d >= 0; d--)
        {
            digits[d] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "IT", "ES", "NL", "PL"];
    private static readonly string[] Channels = ["web", "app", "pos"];
    private static readonly string[] Devices = ["ios", "android", "desktop"];
    private static readonly string[] Categories = ["grocery", "travel", "electronics", "fashion", "other"];

    /// <summary>The feature schema the events follow: six numerical features with bounds, four categorical.</summary>
    public static object[] FeatureSchema() =>
    [
        new { name = "amount", type = "numerical", min = 0, max = 50_000 },
        new { name = "account_age_days", type = "numerical", min = 0, max = 3_650 },
        new { name = "risk_score", type = "numerical", min = 0, max = 1 },
        new { name = "items", type = "numerical", min = 0, max = 100 },
        new { name = "distance_km", type = "numerical", min = 0, max = 20_000 },
        new { name = "hour", type = "numerical", min = 0, max = 23 },
        new { name = "country", type = "categorical", categories = Countries },
        new { name = "channel", type = "categorical", categories = Channels },
        new { name = "device", type = "categorical", categories = Devices },
        new { name = "merchant_category", type = "categorical", categories = Categories },
    ];

    private static Template Build(string runId, int batchSize, string version, DateTimeOffset now, Random random)
    {
        var json = new StringBuilder(batchSize * 400);
        var offsets = new int[batchSize];
        var timestamps = new int[batchSize];
        json.Append("{\"events\":[");
        for (var i = 0; i < batchSize; i++)
        {
            if (i > 0) json.Append(',');
            json.Append("{\"id\":\"").Append(runId).Append('-');
            // ids, timestamps and names are ASCII: the char index is the byte index
            offsets[i] = json.Length;
            json.Append('0', IdDigits).Append('"');
            json.Append(",\"timestamp\":\"");
            timestamps[i] = json.Length;
            json.Append(now.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture)).Append("\",\"version\":\"").Append(version).Append("\",\"features\":{");
            json.Append("\"amount\":").Append(Num(random.NextDouble() * 2_000))
                .Append(",\"account_age_days\":").Append(random.Next(0, 3_650))
                .Append(",\"risk_score\":").Append(Num(random.NextDouble()))
                .Append(",\"items\":").Append(random.Next(1, 20))
                .Append(",\"distance_km\":").Append(Num(random.NextDouble() * 500))
                .Append(",\"hour\":").Append(random.Next(0, 24))
                .Append(",\"country\":\"").Append(Countries[random.Next(Countries.Length)])
                .Append("\",\"channel\":\"").Append(Channels[random.Next(Channels.Length)])
                .Append("\",\"device\":\"").Append(Devices[random.Next(Devices.Length)])
                .Append("\",\"merchant_category\":\"").Append(Categories[random.Next(Categories.Length)]).Append("\"}");
            json.Append(",\"prediction\":").Append(Num(random.NextDouble()))
                .Append(",\"latencyMs\":").Append(Num(2 + random.NextDouble() * 30))
                .Append(",\"costUsd\":0.00002}");
        }
        json.Append("]}");
        var body = Encoding.UTF8.GetBytes(json.ToString());
        if (body.Length != json.Length) throw new InvalidOperationException("Bodies must be ASCII so offsets in characters are offsets in bytes.");
        return new Template(body, offsets, timestamps);
    }

    private static string Num(double value) => Math.Round(value, 4).ToString("R", CultureInfo.InvariantCulture);
}
