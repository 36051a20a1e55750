using System.Text;

namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Counts per category: what a minute bucket keeps for a categorical feature. Immutable; windows are built by
/// <see cref="Merge"/>, which adds counts.
/// </summary>
public sealed class CategoryCounts
{
    public static CategoryCounts Empty { get; } = new(new Dictionary<string, long>(StringComparer.Ordinal));

    private readonly Dictionary<string, long> _counts;

    private CategoryCounts(Dictionary<string, long> counts)
    {
        _counts = counts;
        Total = counts.Values.Sum();
    }

    public long Total { get; }

    public IEnumerable<string> Categories => _counts.Keys;

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public long CountOf(string category) => _counts.GetValueOrDefault(category);

    /// <summary>Counts of the non-null values.</summary>
    public static CategoryCounts Of(IEnumerable<string?> values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v is null) continue;
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }

        return new CategoryCounts(counts);
    }

    public static CategoryCounts From(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var copy = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (category, count) in counts)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(counts), $"Count of '{category}' is negative.");
            if (count > 0) copy[category] = copy.GetValueOrDefault(category) + count;
        }

        return new CategoryCounts(copy);
    }

    public CategoryCounts Merge(CategoryCounts other) => From(_counts.Concat(other._counts));

    public static CategoryCounts Merge(IEnumerable<CategoryCounts> buckets) =>
        From(buckets.SelectMany(b => b._counts));

    /// <summary>Compact form: count of entries, then (UTF-8 name, count) pairs, lengths and counts as 7-bit varints.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(_counts.Count);
            foreach (var (category, count) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(category);
                writer.Write7BitEncodedInt64(count);
            }
        }

        return stream.ToArray();
    }

    public static CategoryCounts FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8);
        var entries = reader.Read7BitEncodedInt();
        var counts = new Dictionary<string, long>(entries, StringComparer.Ordinal);
        for (var i = 0; i < entries; i++)
        {
            var category = reader.ReadString();
            counts[category] = reader.Read7BitEncodedInt64();
        }

        return new CategoryCounts(counts);
    }
}
