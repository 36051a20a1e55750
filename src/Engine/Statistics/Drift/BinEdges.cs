namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Fixed bin edges for a numerical feature, chosen once from the reference at equal frequencies (quantiles), so the
/// reference spreads evenly and every window's histogram shares them. With edges e₀ &lt; … &lt; e_L the bins are:
/// underflow (x &lt; e₀), [e₀, e₁), …, [e_(L−1), e_L] (the last closed, like numpy), overflow (x &gt; e_L).
/// A constant reference has a single edge and one point bin [e₀, e₀].
/// </summary>
public sealed class BinEdges : IEquatable<BinEdges>
{
    public const int DefaultBinCount = 100;

    private readonly double[] _edges;

    private BinEdges(double[] edges) => _edges = edges;

    public IReadOnlyList<double> Values => _edges;

    /// <summary>Bins including underflow and overflow.</summary>
    public int BinCount => Math.Max(_edges.Length - 1, 1) + 2;

    /// <summary>Equal-frequency edges over the finite reference values; null when there are none.</summary>
    public static BinEdges? FromReference(ReadOnlySpan<double> reference, int bins = DefaultBinCount)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "At least one bin is needed.");
        var sorted = new List<double>(reference.Length);
        foreach (var v in reference)
        {
            if (double.IsFinite(v)) sorted.Add(v);
        }

        if (sorted.Count == 0) return null;
        sorted.Sort();
        var edges = new List<double>(bins + 1);
        for (var i = 0; i <= bins; i++)
        {
            var edge = sorted[(int)Math.Round((double)i * (sorted.Count - 1) / bins)];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge); // ties collapse bins
        }

        return new BinEdges([.. edges]);
    }

    public static BinEdges FromValues(IEnumerable<double> edges)
    {
        var array = edges.ToArray();
        if (array.Length == 0) throw new ArgumentException("At least one edge is needed.", nameof(edges));
        for (var i = 0; i < array.Length; i++)
        {
            if (!double.IsFinite(array[i]) || (i > 0 && array[i] <= array[i - 1]))
            {
                throw new ArgumentException("Edges must be finite and strictly increasing.", nameof(edges));
            }
        }

        return new BinEdges(array);
    }

    /// <summary>Bin of a finite value: 0 is underflow, BinCount − 1 overflow.</summary>
    public int BinOf(double value)
    {
        if (value < _edges[0]) return 0;
        if (value > _edges[^1]) return BinCount - 1;
        if (_edges.Length == 1) return 1;

        // First edge strictly above the value; the top edge itself belongs to the last interior bin.
        int lo = 1, hi = _edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_edges[mid] <= value) lo = mid + 1;
            else hi = mid;
        }

        return Math.Min(lo, _edges.Length - 1);
    }

    /// <summary>Lower and upper bound of an interior bin (1 .. BinCount − 2).</summary>
    internal (double Lo, double Hi) InteriorBounds(int bin) =>
        _edges.Length == 1 ? (_edges[0], _edges[0]) : (_edges[bin - 1], _edges[bin]);

    /// <summary>The edge a bin's offsets are measured from: its lower edge (the last edge for overflow).</summary>
    internal double AnchorOf(int bin) => bin >= _edges.Length ? _edges[^1] : _edges[bin - 1];

    /// <summary>A value near the middle, subtracted before summing squares to avoid cancellation.</summary>
    internal double Shift => _edges[_edges.Length / 2];

    public byte[] ToBytes()
    {
        var bytes = new byte[4 + 8 * _edges.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), _edges.Length);
        for (var i = 0; i < _edges.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(4 + 8 * i, 8), _edges[i]);
        return bytes;
    }

    public static BinEdges FromBytes(ReadOnlySpan<byte> bytes)
    {
        var count = BitConverter.ToInt32(bytes[..4]);
        var edges = new double[count];
        for (var i = 0; i < count; i++) edges[i] = BitConverter.ToDouble(bytes.Slice(4 + 8 * i, 8));
        return FromValues(edges);
    }

    public bool Equals(BinEdges? other) =>
        other is not null && (ReferenceEquals(this, other) || _edges.AsSpan().SequenceEqual(other._edges));

    public override bool Equals(object? obj) => Equals(obj as BinEdges);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _edges) hash.Add(e);
        return hash.ToHashCode();
    }
}
