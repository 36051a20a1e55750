namespace ModelWatch.Engine.Statistics.Latency;

/// <summary>
/// A mergeable quantile sketch in the style of DDSketch (Masson, Rim &amp; Lee 2019): positive values fall into
/// logarithmic buckets ((γ^(i−1), γ^i], γ = (1 + α) / (1 − α)), so any quantile is answered within relative error α
/// of the exact value at rank ⌊q·(n − 1)⌋. Zero, negative and sub-<see cref="MinIndexableValue"/> values share a zero
/// bucket and are reported as 0. Buckets add, so minute buckets merge into windows of any length without the events.
/// Not thread-safe: one writer per sketch.
/// </summary>
/// <remarks>No NuGet DDSketch port with merge and serialisation was available, hence this small implementation.</remarks>
public sealed class LatencySketch
{
    public const double DefaultRelativeAccuracy = 0.01;

    /// <summary>Below this a value is counted as zero (keeps the bucket index range bounded).</summary>
    public const double MinIndexableValue = 1e-9;

    private const byte FormatVersion = 1;

    private readonly double _gamma;
    private readonly double _logGamma;
    private long[] _buckets = [];
    private int _offset; // index of _buckets[0]
    private int _minIndex = int.MaxValue;
    private int _maxIndex = int.MinValue;

    public LatencySketch(double relativeAccuracy = DefaultRelativeAccuracy)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), "Relative accuracy must lie in (0, 1).");
        }

        RelativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _logGamma = Math.Log(_gamma);
    }

    public double RelativeAccuracy { get; }

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public long ZeroCount { get; private set; }

    /// <summary>Exact smallest value added; NaN when empty.</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>Exact largest value added; NaN when empty.</summary>
    public double Max { get; private set; } = double.NaN;

    public bool IsEmpty => Count == 0;

    /// <summary>Adds a value; NaN and infinities are ignored (they have no place in a latency distribution).</summary>
    public void Add(double value, long count = 1)
    {
        if (!double.IsFinite(value) || count <= 0) return;
        if (value < MinIndexableValue) ZeroCount += count;
        else Increment(IndexOf(value), count);

        Count += count;
        Sum += value * count;
        Min = Count == count ? value : Math.Min(Min, value);
        Max = Count == count ? value : Math.Max(Max, value);
    }

    /// <summary>Adds another sketch's counts into this one.</summary>
    public void Merge(LatencySketch other)
    {
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException("Sketches with different relative accuracy cannot be merged.", nameof(other));
        }

        if (other.IsEmpty) return;
        for (var i = other._minIndex; i <= other._maxIndex; i++)
        {
            var n = other._buckets[i - other._offset];
            if (n > 0) Increment(i, n);
        }

        Min = IsEmpty ? other.Min : Math.Min(Min, other.Min);
        Max = IsEmpty ? other.Max : Math.Max(Max, other.Max);
        ZeroCount += other.ZeroCount;
        Count += other.Count;
        Sum += other.Sum;
    }

    public static LatencySketch Merge(IEnumerable<LatencySketch> sketches, double relativeAccuracy = DefaultRelativeAccuracy)
    {
        var merged = new LatencySketch(relativeAccuracy);
        foreach (var s in sketches) merged.Merge(s);
        return merged;
    }

    /// <summary>The value at quantile q ∈ [0, 1], within the relative accuracy; null when the sketch is empty.</summary>
    public double? Quantile(double q)
    {
        if (IsEmpty) return null;
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), "Quantile must lie in [0, 1].");

        var rank = q * (Count - 1);
        if (ZeroCount > rank) return Math.Clamp(0.0, Min, Max);

        double seen = ZeroCount;
        for (var i = _minIndex; i <= _maxIndex; i++)
        {
            seen += _buckets[i - _offset];
            if (seen > rank)
            {
                // The exact minimum and maximum are known, so never answer outside them.
                return Math.Clamp(2 * Math.Pow(_gamma, i) / (_gamma + 1), Min, Max);
            }
        }

        return Max;
    }

    public LatencySummary Summarise() => new(
        Count,
        IsEmpty ? null : Sum / Count,
        Quantile(0.5),
        Quantile(0.9),
        Quantile(0.95),
        Quantile(0.99),
        IsEmpty ? null : Min,
        IsEmpty ? null : Max);

    /// <summary>
    /// Compact form: version, accuracy, count, sum, min, max, zero count, first bucket index, then one varint per bucket
    /// from the first to the last non-empty one (~1–3 bytes per bucket; a typical minute is well under 1 KB).
    /// </summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            writer.Write(RelativeAccuracy);
            writer.Write7BitEncodedInt64(Count);
            writer.Write(Sum);
            writer.Write(Min);
            writer.Write(Max);
            writer.Write7BitEncodedInt64(ZeroCount);
            var span = Count - ZeroCount == 0 ? 0 : _maxIndex - _minIndex + 1;
            writer.Write7BitEncodedInt(span);
            if (span > 0)
            {
                writer.Write7BitEncodedInt(ZigZag(_minIndex));
                for (var i = _minIndex; i <= _maxIndex; i++) writer.Write7BitEncodedInt64(_buckets[i - _offset]);
            }
        }

        return stream.ToArray();
    }

    public static LatencySketch FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        var version = reader.ReadByte();
        if (version != FormatVersion) throw new FormatException($"Unknown latency sketch format {version}.");

        var sketch = new LatencySketch(reader.ReadDouble())
        {
            Count = reader.Read7BitEncodedInt64(),
            Sum = reader.ReadDouble(),
            Min = reader.ReadDouble(),
            Max = reader.ReadDouble(),
            ZeroCount = reader.Read7BitEncodedInt64(),
        };
        var span = reader.Read7BitEncodedInt();
        if (span > 0)
        {
            var first = UnZigZag(reader.Read7BitEncodedInt());
            for (var i = 0; i < span; i++)
            {
                var n = reader.Read7BitEncodedInt64();
                if (n > 0) sketch.Increment(first + i, n);
            }
        }

        return sketch;
    }

    private int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) / _logGamma);

    private void Increment(int index, long count)
    {
        if (_buckets.Length == 0)
        {
            _buckets = new long[64];
            _offset = index - 32;
        }
        else if (index < _offset || index >= _offset + _buckets.Length)
        {
            Grow(index);
        }

        _buckets[index - _offset] += count;
        _minIndex = Math.Min(_minIndex, index);
        _maxIndex = Math.Max(_maxIndex, index);
    }

    private void Grow(int index)
    {
        var low = Math.Min(index, _offset);
        var high = Math.Max(index, _offset + _buckets.Length - 1);
        var length = Math.Max(_buckets.Length * 2, high - low + 1 + 32);
        var offset = low - (length - (high - low + 1)) / 2;
        var grown = new long[length];
        Array.Copy(_buckets, 0, grown, _offset - offset, _buckets.Length);
        _buckets = grown;
        _offset = offset;
    }

    private static int ZigZag(int v) => (v << 1) ^ (v >> 31);

    private static int UnZigZag(int v) => (int)((uint)v >> 1) ^ -(v & 1);
}

/// <summary>Latency figures a window shows; nulls when there were no events.</summary>
public sealed record LatencySummary(
    long Count, double? Mean, double? P50, double? P90, double? P95, double? P99, double? Min, double? Max);
