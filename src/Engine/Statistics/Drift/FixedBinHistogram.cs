namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Counts per fixed bin for one numerical feature, plus the exact count, min, max and (shifted) sums of values and
/// squares so the mean and standard deviation stay exact. What a minute bucket keeps: histograms on the same
/// <see cref="BinEdges"/> merge by adding, so a window of any length costs O(bins), not O(events).
/// Not thread-safe: one writer per histogram.
/// </summary>
public sealed class FixedBinHistogram
{
    private const byte FormatVersion = 1;

    private readonly long[] _counts;
    private readonly double[] _offsetSums;

    public FixedBinHistogram(BinEdges edges)
    {
        Edges = edges;
        _counts = new long[edges.BinCount];
        _offsetSums = new double[edges.BinCount];
    }

    public BinEdges Edges { get; }

    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Finite values added.</summary>
    public long Count { get; private set; }

    /// <summary>NaN and infinite values seen (not binned).</summary>
    public long NonFiniteCount { get; private set; }

    public double Min { get; private set; } = double.NaN;

    public double Max { get; private set; } = double.NaN;

    // Σ (x − shift) and Σ (x − shift)², shift from the edges, so the variance does not cancel catastrophically.
    internal double ShiftedSum { get; private set; }

    internal double ShiftedSumOfSquares { get; private set; }

    /// <summary>
    /// Per bin, the summed distance of its values from the bin's anchor edge: e₀ − x for underflow, x − lower edge for
    /// interior bins, x − e_L for overflow. Gives each bin's mean without cancellation, which makes the binned
    /// Wasserstein distance nearly exact.
    /// </summary>
    public IReadOnlyList<double> OffsetSums => _offsetSums;

    public double? Mean => Count == 0 ? null : Edges.Shift + ShiftedSum / Count;

    public double? PopulationStandardDeviation
    {
        get
        {
            if (Count == 0) return null;
            var m = ShiftedSum / Count;
            return Math.Sqrt(Math.Max(0.0, ShiftedSumOfSquares / Count - m * m));
        }
    }

    public static FixedBinHistogram Of(BinEdges edges, ReadOnlySpan<double> values)
    {
        var histogram = new FixedBinHistogram(edges);
        foreach (var v in values) histogram.Add(v);
        return histogram;
    }

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            NonFiniteCount++;
            return;
        }

        var bin = Edges.BinOf(value);
        _counts[bin]++;
        _offsetSums[bin] += bin == 0 ? Edges.Values[0] - value : value - Edges.AnchorOf(bin);

        Min = Count == 0 ? value : Math.Min(Min, value);
        Max = Count == 0 ? value : Math.Max(Max, value);
        Count++;
        var shifted = value - Edges.Shift;
        ShiftedSum += shifted;
        ShiftedSumOfSquares += shifted * shifted;
    }

    /// <summary>Adds another histogram on the same edges into this one.</summary>
    public void Merge(FixedBinHistogram other)
    {
        if (!Edges.Equals(other.Edges)) throw new ArgumentException("Histograms have different bin edges.", nameof(other));
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
            _offsetSums[i] += other._offsetSums[i];
        }

        if (other.Count > 0)
        {
            Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
            Max = Count == 0 ? other.Max : Math.Max(Max, other.Max);
        }

        Count += other.Count;
        NonFiniteCount += other.NonFiniteCount;
        ShiftedSum += other.ShiftedSum;
        ShiftedSumOfSquares += other.ShiftedSumOfSquares;
    }

    public static FixedBinHistogram Merge(BinEdges edges, IEnumerable<FixedBinHistogram> buckets)
    {
        var merged = new FixedBinHistogram(edges);
        foreach (var b in buckets) merged.Merge(b);
        return merged;
    }

    /// <summary>
    /// Compact form without the edges (stored once per feature with the reference): version, bin count as a check,
    /// counts as varints, then the non-finite count, min, max, the two
    /// moment sums and one offset sum (as float) per non-empty bin: about 6 bytes per occupied bin.
    /// </summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt(_counts.Length);
            foreach (var c in _counts) writer.Write7BitEncodedInt64(c);
            writer.Write7BitEncodedInt64(NonFiniteCount);
            writer.Write(Min);
            writer.Write(Max);
            writer.Write(ShiftedSum);
            writer.Write(ShiftedSumOfSquares);
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] > 0) writer.Write((float)_offsetSums[i]); // 4 bytes: offsets are bounded by the bin width
            }
        }

        return stream.ToArray();
    }

    public static FixedBinHistogram FromBytes(ReadOnlySpan<byte> bytes, BinEdges edges)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        var version = reader.ReadByte();
        if (version != FormatVersion) throw new FormatException($"Unknown histogram format {version}.");
        var bins = reader.Read7BitEncodedInt();
        if (bins != edges.BinCount) throw new FormatException($"Histogram has {bins} bins but the edges give {edges.BinCount}.");

        var histogram = new FixedBinHistogram(edges);
        for (var i = 0; i < bins; i++)
        {
            histogram._counts[i] = reader.Read7BitEncodedInt64();
            histogram.Count += histogram._counts[i];
        }

        histogram.NonFiniteCount = reader.Read7BitEncodedInt64();
        histogram.Min = reader.ReadDouble();
        histogram.Max = reader.ReadDouble();
        histogram.ShiftedSum = reader.ReadDouble();
        histogram.ShiftedSumOfSquares = reader.ReadDouble();
        for (var i = 0; i < bins; i++)
        {
            if (histogram._counts[i] > 0) histogram._offsetSums[i] = reader.ReadSingle();
        }
        return histogram;
    }
}
