using System.Text;

namespace ModelWatch.Engine.Statistics.Sketches;

/// <summary>
/// Counts per distinct string with a cap on how many are kept: the first <see cref="Cap"/> distinct values seen are
/// counted exactly, later new values go to <see cref="Other"/>. Merging keeps the <see cref="Cap"/> largest counts and
/// folds the rest into Other, so a window stays bounded however many minutes it spans. One event with 100,000
/// distinct categories, or a 15 MB value, cannot blow memory up: values longer than <see cref="MaxValueLength"/>
/// characters are counted as Other too. Totals are always exact. Not thread-safe: one writer per instance.
/// </summary>
public sealed class CappedCounts
{
    /// <summary>How the folded remainder is labelled in distributions and comparisons.</summary>
    public const string OtherLabel = "(other)";

    /// <summary>Longer values are counted as Other (the ingestion side refuses them; this is the bucket's own bound).</summary>
    public const int MaxValueLength = 256;

    private const byte FormatVersion = 1;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public CappedCounts(int cap)
    {
        if (cap < 1) throw new ArgumentOutOfRangeException(nameof(cap), "The cap must be at least 1.");
        Cap = cap;
    }

    public int Cap { get; }

    /// <summary>Values not kept by name (beyond the cap, or too long).</summary>
    public long Other { get; private set; }

    public long Total { get; private set; }

    public int Distinct => _counts.Count;

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public long CountOf(string value) => _counts.GetValueOrDefault(value);

    public void Add(string value, long count = 1)
    {
        if (count <= 0) return;
        Total += count;
        if (value.Length > MaxValueLength) { Other += count; return; }
        if (_counts.TryGetValue(value, out var existing)) _counts[value] = existing + count;
        else if (_counts.Count < Cap) _counts[value] = count;
        else Other += count;
    }

    public void Merge(CappedCounts other)
    {
        Total += other.Total;
        Other += other.Other;
        foreach (var (value, count) in other._counts) _counts[value] = _counts.GetValueOrDefault(value) + count;
        if (_counts.Count <= Cap) return;
        // Keep the largest counts (ties by name, so the result does not depend on dictionary order).
        foreach (var (value, count) in _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Skip(Cap).ToList())
        {
            _counts.Remove(value);
            Other += count;
        }
    }

    /// <summary>Compact form: version, total, other, entry count, then (UTF-8 value, count) pairs in ordinal order.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(FormatVersion);
        writer.Write7BitEncodedInt64(Total);
        writer.Write7BitEncodedInt64(Other);
        writer.Write7BitEncodedInt(_counts.Count);
        foreach (var (value, count) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.Write(value);
            writer.Write7BitEncodedInt64(count);
        }
    }

    public static CappedCounts ReadFrom(BinaryReader reader, int cap)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion) throw new FormatException($"Unknown category counts format {version}.");
        var counts = new CappedCounts(cap) { Total = reader.Read7BitEncodedInt64(), Other = reader.Read7BitEncodedInt64() };
        var entries = reader.Read7BitEncodedInt();
        if (entries < 0 || counts.Total < 0 || counts.Other < 0) throw new FormatException("Negative size in category counts.");
        long sum = counts.Other;
        for (var i = 0; i < entries; i++)
        {
            var value = reader.ReadString();
            var count = reader.Read7BitEncodedInt64();
            if (count <= 0) throw new FormatException("A category has no count.");
            // A blob written under a larger cap still decodes within this one.
            if (counts._counts.Count < cap) counts._counts[value] = count;
            else counts.Other += count;
            sum += count;
        }
        if (sum != counts.Total) throw new FormatException($"Category counts hold {sum} values but the total says {counts.Total}.");
        return counts;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8)) WriteTo(writer);
        return stream.ToArray();
    }

    public static CappedCounts FromBytes(ReadOnlySpan<byte> bytes, int cap)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8);
        return ReadFrom(reader, cap);
    }
}
