namespace ModelWatch.Engine.Statistics.Sketches;

/// <summary>
/// A baseline-independent, mergeable, sparse sketch of one numerical column: counts per bucket of the IEEE-754 bit
/// pattern with its lowest <see cref="Shift"/> bits dropped, plus the exact count, min, max, mean and M2.
/// <list type="bullet">
/// <item>Shift 0 is exact: one bucket per distinct value. A quiet minute with one value costs about a dozen bytes.</item>
/// <item>When more than <see cref="MaxBuckets"/> buckets are occupied the shift grows by one (neighbouring buckets
/// pair up, as in UDDSketch's uniform collapse) until they fit. Buckets are relative-width (a fixed number of
/// mantissa bits), but the width adapts to the data: N(1000, 1) stays at a fine width because its values occupy few
/// buckets, where a fixed-α DDSketch would put all its mass in two.</item>
/// <item>The shift is the smallest that fits the data, so the sketch is a function of the multiset of values:
/// merging two sketches gives exactly the sketch of the union, in any order.</item>
/// </list>
/// Drift statistics spread each bucket's mass evenly over the bucket and compare two sketches on a common shift, so
/// the bucket grids align (see <see cref="SketchDrift"/> and docs/performance.md for the measured accuracy).
/// Not thread-safe: one writer per sketch.
/// </summary>
public sealed class NumericSketch
{
    /// <summary>512 buckets keep KS, PSI and JS errors well below 0.005 on the tested shapes at ~2 bytes a bucket (docs/performance.md).</summary>
    public const int DefaultMaxBuckets = 512;

    private const byte FormatVersion = 1;
    private const int PendingCapacity = 4; // grows by doubling: an open minute with one value must not cost a kilobyte per feature
    private const int SmallMerge = 32; // smaller sketches are queued; larger ones are merged in one sorted pass
    private const int MaxShift = 63;

    private long[] _keys = [];
    private long[] _counts = [];
    private int _length;
    // Keys (already at the current shift) and counts not yet folded in: adds and merges of small sketches append here,
    // and one sort folds many of them at once, so a window of 1,440 minutes does not re-copy the buckets 1,440 times.
    private long[]? _pending;
    private long[]? _pendingCounts;
    private int _pendingCount;
    private double _mean, _m2;

    public NumericSketch(int maxBuckets = DefaultMaxBuckets)
    {
        if (maxBuckets < 8) throw new ArgumentOutOfRangeException(nameof(maxBuckets), "At least 8 buckets are needed.");
        MaxBuckets = maxBuckets;
    }

    public int MaxBuckets { get; }

    /// <summary>Low bits of the ordered bit pattern dropped per bucket; 0 means every distinct value is kept.</summary>
    public int Shift
    {
        get { Flush(); return _shift; }
    }

    private int _shift;

    /// <summary>Finite values added.</summary>
    public long Count { get; private set; }

    /// <summary>NaN and infinite values seen (not sketched).</summary>
    public long NonFiniteCount { get; private set; }

    public double Min { get; private set; } = double.NaN;

    public double Max { get; private set; } = double.NaN;

    public double? Mean => Count == 0 ? null : _mean;

    public double? PopulationStandardDeviation => Count == 0 ? null : Math.Sqrt(Math.Max(0, _m2 / Count));

    public bool IsExact => Shift == 0;

    public int BucketCount
    {
        get { Flush(); return _length; }
    }

    public static NumericSketch Of(ReadOnlySpan<double> values, int maxBuckets = DefaultMaxBuckets)
    {
        var sketch = new NumericSketch(maxBuckets);
        foreach (var v in values) sketch.Add(v);
        return sketch;
    }

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            NonFiniteCount++;
            return;
        }

        if (value == 0) value = 0; // −0 and +0 share a bucket
        Count++;
        var delta = value - _mean; // Welford: stable for offset data such as N(1e6, 1)
        _mean += delta / Count;
        _m2 += delta * (value - _mean);
        Min = Count == 1 ? value : Math.Min(Min, value);
        Max = Count == 1 ? value : Math.Max(Max, value);

        Append(Ordered(value), 0, 1);
    }

    /// <summary>Adds another sketch into this one: the result equals the sketch of both inputs' values together.</summary>
    public void Merge(NumericSketch other)
    {
        if (ReferenceEquals(other, this)) throw new ArgumentException("A sketch cannot be merged into itself.", nameof(other));
        other.Flush();
        if (other.Count == 0)
        {
            NonFiniteCount += other.NonFiniteCount;
            return;
        }

        MergeMoments(other.Count, other._mean, other._m2, other.Min, other.Max);
        NonFiniteCount += other.NonFiniteCount;
        if (other._shift > _shift)
        {
            Flush();
            CollapseTo(other._shift);
        }
        if (other._length <= SmallMerge)
        {
            for (var i = 0; i < other._length; i++) Append(other._keys[i], other._shift, other._counts[i]);
            return;
        }
        Flush();
        MergeSorted(other._keys, other._counts, other._length, _shift - other._shift);
        Compact();
    }

    /// <summary>A copy on a coarser shift (or this sketch when it is already there): lets two sketches share a grid.</summary>
    public NumericSketch AtShift(int shift)
    {
        Flush();
        if (shift <= _shift) return this;
        var copy = new NumericSketch(MaxBuckets);
        var (keys, counts, length) = CollapsedCopy(shift);
        copy._keys = keys;
        copy._counts = counts;
        copy._length = length;
        copy._shift = shift;
        copy.CopyMoments(this);
        return copy;
    }

    /// <summary>The buckets in ascending order: value range and count, ranges clamped to [Min, Max]; exact buckets have Lo == Hi.</summary>
    public IEnumerable<SketchBucket> Buckets()
    {
        Flush();
        for (var i = 0; i < _length; i++) yield return BucketAt(i, Min, Max);
    }

    internal SketchBucket BucketAt(int i, double min, double max)
    {
        var key = _keys[i];
        if (_shift == 0)
        {
            var v = FromOrdered(key);
            return new SketchBucket(v, v, _counts[i]);
        }

        var lo = FromOrdered(key << _shift);
        var hi = (key + 1) << _shift == 0 ? 0.0 : FromOrdered((key + 1) << _shift);
        return new SketchBucket(Math.Clamp(lo, min, max), Math.Clamp(hi, min, max), _counts[i]);
    }

    internal int Length
    {
        get { Flush(); return _length; }
    }

    internal long KeyAt(int i) => _keys[i];

    /// <summary>The value at quantile q ∈ [0, 1] (rank q·Count, mass spread evenly inside each bucket); null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count == 0) return null;
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), "Quantile must lie in [0, 1].");
        Flush();
        var target = q * Count;
        double seen = 0;
        for (var i = 0; i < _length; i++)
        {
            var b = BucketAt(i, Min, Max);
            if (seen + b.Count >= target)
            {
                var fraction = b.Count == 0 ? 0 : Math.Clamp((target - seen) / b.Count, 0, 1);
                return b.Lo + (b.Hi - b.Lo) * fraction;
            }
            seen += b.Count;
        }
        return Max;
    }

    /// <summary>
    /// Compact form: version, count, non-finite count, then for a single exact value just that value; otherwise the
    /// shift, a layout byte, min, max, mean, M2, the bucket count, the first key (zig-zag) and key deltas and counts as varints.
    /// </summary>
    public void WriteTo(BinaryWriter writer)
    {
        Flush();
        writer.Write(FormatVersion);
        writer.Write7BitEncodedInt64(Count);
        writer.Write7BitEncodedInt64(NonFiniteCount);
        if (Count == 0) return;
        writer.Write((byte)_shift);
        if (_shift == 0 && _length == 1)
        {
            writer.Write(SingleValue);
            writer.Write(Min);
            return;
        }

        writer.Write(ManyValues);
        writer.Write(Min);
        writer.Write(Max);
        writer.Write(_mean);
        writer.Write(_m2);
        writer.Write7BitEncodedInt(_length);
        writer.Write7BitEncodedInt64(Varint.ZigZag(_keys[0]));
        // Deltas as unsigned: between a large negative and a large positive value they can exceed long.MaxValue.
        for (var i = 1; i < _length; i++) writer.Write7BitEncodedInt64(unchecked(_keys[i] - _keys[i - 1]));
        for (var i = 0; i < _length; i++) writer.Write7BitEncodedInt64(_counts[i]);
    }

    public static NumericSketch ReadFrom(BinaryReader reader, int maxBuckets = DefaultMaxBuckets)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion) throw new FormatException($"Unknown numeric sketch format {version}.");
        var sketch = new NumericSketch(maxBuckets)
        {
            Count = reader.Read7BitEncodedInt64(),
            NonFiniteCount = reader.Read7BitEncodedInt64(),
        };
        if (sketch.Count < 0 || sketch.NonFiniteCount < 0) throw new FormatException("Negative count in a numeric sketch.");
        if (sketch.Count == 0) return sketch;
        sketch._shift = reader.ReadByte();
        if (sketch._shift > MaxShift) throw new FormatException($"Shift {sketch._shift} is out of range.");
        if (PeekSingle(reader, out var single))
        {
            sketch.Min = sketch.Max = sketch._mean = single;
            sketch._keys = [Ordered(single)];
            sketch._counts = [sketch.Count];
            sketch._length = 1;
            return sketch;
        }

        sketch.Min = reader.ReadDouble();
        sketch.Max = reader.ReadDouble();
        sketch._mean = reader.ReadDouble();
        sketch._m2 = reader.ReadDouble();
        var length = reader.Read7BitEncodedInt();
        if (length < 1 || length > Math.Max(maxBuckets, 1 << 20)) throw new FormatException($"Bucket count {length} is out of range.");
        sketch._keys = new long[length];
        sketch._counts = new long[length];
        sketch._keys[0] = Varint.UnZigZag(reader.Read7BitEncodedInt64());
        for (var i = 1; i < length; i++)
        {
            var delta = (ulong)reader.Read7BitEncodedInt64();
            var key = unchecked((long)((ulong)sketch._keys[i - 1] + delta));
            if (delta == 0 || key <= sketch._keys[i - 1]) throw new FormatException("Sketch keys are not ascending.");
            sketch._keys[i] = key;
        }
        long total = 0;
        for (var i = 0; i < length; i++)
        {
            sketch._counts[i] = reader.Read7BitEncodedInt64();
            if (sketch._counts[i] <= 0) throw new FormatException("A sketch bucket has no count.");
            total += sketch._counts[i];
        }
        if (total != sketch.Count) throw new FormatException($"Sketch buckets hold {total} values but the count says {sketch.Count}.");
        sketch._length = length;
        sketch.Compact();
        return sketch;
    }

    private static bool PeekSingle(BinaryReader reader, out double value)
    {
        value = 0;
        var layout = reader.ReadByte();
        if (layout == SingleValue)
        {
            value = reader.ReadDouble();
            return true;
        }
        if (layout != ManyValues) throw new FormatException($"Unknown numeric sketch layout {layout}.");
        return false;
    }

    // Layouts after the shift byte: one exact value (a quiet minute, a constant column) or the buckets.
    private const byte SingleValue = 1;
    private const byte ManyValues = 2;

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) WriteTo(writer);
        return stream.ToArray();
    }

    public static NumericSketch FromBytes(ReadOnlySpan<byte> bytes, int maxBuckets = DefaultMaxBuckets)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        return ReadFrom(reader, maxBuckets);
    }

    /// <summary>Maps a double onto a long so that the order of the longs is the order of the values.</summary>
    internal static long Ordered(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        return value < 0 ? ~bits : bits;
    }

    internal static double FromOrdered(long ordered)
    {
        var v = ordered < 0 ? -BitConverter.Int64BitsToDouble(~ordered) : BitConverter.Int64BitsToDouble(ordered);
        return double.IsNaN(v) ? (ordered < 0 ? double.NegativeInfinity : double.PositiveInfinity) : v;
    }

    /// <summary>Queues a key given at <paramref name="keyShift"/> (≤ the current shift); shifted after any flush it causes.</summary>
    private void Append(long key, int keyShift, long count)
    {
        if (_pending is null)
        {
            _pending = new long[PendingCapacity];
            _pendingCounts = new long[PendingCapacity];
        }
        else if (_pendingCount == _pending.Length)
        {
            if (_pending.Length < 4 * MaxBuckets)
            {
                Array.Resize(ref _pending, _pending.Length * 2);
                Array.Resize(ref _pendingCounts, _pending.Length);
            }
            else
            {
                Flush();
            }
        }
        _pending[_pendingCount] = key >> (_shift - keyShift);
        _pendingCounts![_pendingCount++] = count;
    }

    /// <summary>Folds pending values in, so later reads and merges from this sketch never write to it (shared, read-only caches).</summary>
    public void Seal()
    {
        Flush();
        _pending = null; // a sealed sketch is read, not added to: give the queue back
        _pendingCounts = null;
        // Sealed sketches are what the aggregate cache keeps: only the occupied buckets, not the merge buffers (4× more).
        _spareKeys = [];
        _spareCounts = [];
        if (_keys.Length == _length) return;
        Array.Resize(ref _keys, _length);
        Array.Resize(ref _counts, _length);
    }

    /// <summary>Bytes this sketch holds on the heap now (arrays at their capacity): what a cache should charge for it.</summary>
    public long RetainedBytes => 96 + 8L * (_keys.Length + _counts.Length + _spareKeys.Length + _spareCounts.Length + 2 * (_pending?.Length ?? 0));

    private void Flush()
    {
        if (_pendingCount == 0) return;
        Array.Sort(_pending!, _pendingCounts!, 0, _pendingCount);
        var keys = new long[_pendingCount];
        var counts = new long[_pendingCount];
        var n = 0;
        for (var i = 0; i < _pendingCount; i++)
        {
            var k = _pending![i];
            if (n > 0 && keys[n - 1] == k) counts[n - 1] += _pendingCounts![i];
            else { keys[n] = k; counts[n] = _pendingCounts![i]; n++; }
        }
        _pendingCount = 0;
        MergeSorted(keys, counts, n);
        Compact();
    }

    // Two buffers swapped on every merge, so merging a window of minutes allocates nothing once they have grown.
    private long[] _spareKeys = [];
    private long[] _spareCounts = [];

    /// <summary>Merges ascending keys given <paramref name="by"/> bits finer than ours, shifting them on the fly.</summary>
    private void MergeSorted(long[] keys, long[] counts, int length, int by = 0)
    {
        if (length == 0) return;
        var size = _length + length;
        if (_spareKeys.Length < size)
        {
            _spareKeys = new long[Math.Max(size, Math.Min(2 * MaxBuckets, 2 * size))]; // small sketches stay small
            _spareCounts = new long[_spareKeys.Length];
        }
        var outKeys = _spareKeys;
        var outCounts = _spareCounts;
        int i = 0, j = 0, n = 0;
        while (i < _length || j < length)
        {
            long key;
            long count;
            var theirs = j < length ? keys[j] >> by : 0;
            if (j >= length || (i < _length && _keys[i] < theirs)) { key = _keys[i]; count = _counts[i++]; }
            else if (i >= _length || theirs < _keys[i]) { key = theirs; count = counts[j++]; }
            else { key = _keys[i]; count = _counts[i++] + counts[j++]; }
            if (n > 0 && outKeys[n - 1] == key) outCounts[n - 1] += count; // finer keys that meet after the shift
            else { outKeys[n] = key; outCounts[n++] = count; }
        }
        (_spareKeys, _spareCounts) = (_keys, _counts);
        _keys = outKeys;
        _counts = outCounts;
        _length = n;
    }

    private void Compact()
    {
        while (_length > MaxBuckets && _shift < MaxShift) CollapseTo(_shift + 1);
    }

    private void CollapseTo(int shift)
    {
        if (shift <= _shift) return;
        var by = shift - _shift;
        var n = 0;
        for (var i = 0; i < _length; i++) // in place: the write index never passes the read index
        {
            var k = _keys[i] >> by;
            if (n > 0 && _keys[n - 1] == k) _counts[n - 1] += _counts[i];
            else { _keys[n] = k; _counts[n] = _counts[i]; n++; }
        }
        _length = n;
        _shift = shift;
    }

    private (long[] Keys, long[] Counts, int Length) CollapsedCopy(int shift)
    {
        var by = shift - _shift;
        var keys = new long[_length];
        var counts = new long[_length];
        var n = 0;
        for (var i = 0; i < _length; i++)
        {
            var k = _keys[i] >> by; // arithmetic shift keeps the order for negative keys too
            if (n > 0 && keys[n - 1] == k) counts[n - 1] += _counts[i];
            else { keys[n] = k; counts[n] = _counts[i]; n++; }
        }
        return (keys, counts, n);
    }

    private void MergeMoments(long count, double mean, double m2, double min, double max)
    {
        if (Count == 0)
        {
            (Count, _mean, _m2, Min, Max) = (count, mean, m2, min, max);
            return;
        }
        var total = Count + count;
        var delta = mean - _mean;
        _mean += delta * count / total; // Chan et al.: merges means and M2 without cancellation
        _m2 += m2 + delta * delta * ((double)Count * count / total);
        Count = total;
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
    }

    private void CopyMoments(NumericSketch from)
    {
        (Count, NonFiniteCount, _mean, _m2, Min, Max) = (from.Count, from.NonFiniteCount, from._mean, from._m2, from.Min, from.Max);
    }
}

/// <summary>One bucket of a <see cref="NumericSketch"/>: its values lie in [Lo, Hi) (one value when Lo == Hi).</summary>
public readonly record struct SketchBucket(double Lo, double Hi, long Count);

internal static class Varint
{
    public static long ZigZag(long v) => (v << 1) ^ (v >> 63);

    public static long UnZigZag(long v) => (long)((ulong)v >> 1) ^ -(v & 1);
}
