using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Mergeable sufficient statistics of labelled outcomes: confusion counts, log-loss sums and score histograms
/// (binary), a confusion table (multiclass) and error sums (regression). Every metric except ROC AUC is exact;
/// AUC comes from 1,000 score bins per class, ties inside a bin counted as half.
/// </summary>
internal sealed class PerformanceAccumulator
{
    public const int ScoreBins = 1_000;
    private const double Epsilon = 2.220446049250313e-16; // scikit-learn clips probabilities at machine epsilon

    public long Count { get; private set; }

    // binary
    public long TrueNegatives, FalsePositives, FalseNegatives, TruePositives;
    public double LogLossSum;
    private long[]? _positiveScores, _negativeScores;

    // multiclass: (label, predicted) -> count
    private Dictionary<(string Label, string Predicted), long>? _confusion;

    // regression
    public double AbsoluteErrorSum, SquaredErrorSum, PercentageErrorSum, LabelSum, LabelSquareSum;
    public long PercentageCount, ZeroLabels;

    public IReadOnlyDictionary<(string Label, string Predicted), long> Confusion => (IReadOnlyDictionary<(string, string), long>?)_confusion ?? new Dictionary<(string, string), long>();
    public IReadOnlyList<long>? PositiveScores => _positiveScores;
    public IReadOnlyList<long>? NegativeScores => _negativeScores;

    public void Add(ModelTask task, double threshold, LabeledOutcome o)
    {
        switch (task)
        {
            case ModelTask.BinaryClassification when o.PredictionNumber is { } score && o.LabelNumber is { } label:
                var positive = label >= 0.5;
                var predictedPositive = score >= threshold;
                if (positive) { if (predictedPositive) TruePositives++; else FalseNegatives++; }
                else if (predictedPositive) FalsePositives++; else TrueNegatives++;
                var p = Math.Clamp(score, Epsilon, 1 - Epsilon);
                LogLossSum += positive ? -Math.Log(p) : -Math.Log(1 - p);
                var bin = Math.Min((int)(score * ScoreBins), ScoreBins - 1);
                if (positive) (_positiveScores ??= new long[ScoreBins])[bin]++;
                else (_negativeScores ??= new long[ScoreBins])[bin]++;
                break;
            case ModelTask.MulticlassClassification when o.PredictionClass is { } predicted && o.LabelClass is { } actual:
                _confusion ??= [];
                _confusion[(actual, predicted)] = _confusion.GetValueOrDefault((actual, predicted)) + 1;
                break;
            case ModelTask.Regression when o.PredictionNumber is { } y_hat && o.LabelNumber is { } y:
                var error = y_hat - y;
                AbsoluteErrorSum += Math.Abs(error);
                SquaredErrorSum += error * error;
                LabelSum += y;
                LabelSquareSum += y * y;
                if (y == 0) ZeroLabels++;
                else { PercentageErrorSum += Math.Abs(error / y); PercentageCount++; }
                break;
            default:
                return;
        }
        Count++;
    }

    public void Merge(PerformanceAccumulator other)
    {
        Count += other.Count;
        TrueNegatives += other.TrueNegatives; FalsePositives += other.FalsePositives;
        FalseNegatives += other.FalseNegatives; TruePositives += other.TruePositives;
        LogLossSum += other.LogLossSum;
        MergeBins(ref _positiveScores, other._positiveScores);
        MergeBins(ref _negativeScores, other._negativeScores);
        if (other._confusion is not null)
        {
            _confusion ??= [];
            foreach (var (key, count) in other._confusion) _confusion[key] = _confusion.GetValueOrDefault(key) + count;
        }
        AbsoluteErrorSum += other.AbsoluteErrorSum; SquaredErrorSum += other.SquaredErrorSum;
        PercentageErrorSum += other.PercentageErrorSum; PercentageCount += other.PercentageCount; ZeroLabels += other.ZeroLabels;
        LabelSum += other.LabelSum; LabelSquareSum += other.LabelSquareSum;
    }

    private static void MergeBins(ref long[]? into, long[]? from)
    {
        if (from is null) return;
        into ??= new long[ScoreBins];
        for (var i = 0; i < ScoreBins; i++) into[i] += from[i];
    }

    /// <summary>Compact form for <see cref="MinuteBucketCodec"/>: counts as varints, sums as doubles, score bins sparse.</summary>
    internal void WriteTo(BinaryWriter w)
    {
        w.Write7BitEncodedInt64(Count);
        if (Count == 0) return;
        w.Write7BitEncodedInt64(TrueNegatives); w.Write7BitEncodedInt64(FalsePositives);
        w.Write7BitEncodedInt64(FalseNegatives); w.Write7BitEncodedInt64(TruePositives);
        w.Write(LogLossSum);
        WriteBins(w, _positiveScores);
        WriteBins(w, _negativeScores);
        w.Write7BitEncodedInt(_confusion?.Count ?? 0);
        foreach (var ((label, predicted), count) in _confusion ?? [])
        {
            w.Write(label); w.Write(predicted); w.Write7BitEncodedInt64(count);
        }
        w.Write(AbsoluteErrorSum); w.Write(SquaredErrorSum); w.Write(PercentageErrorSum); w.Write(LabelSum); w.Write(LabelSquareSum);
        w.Write7BitEncodedInt64(PercentageCount); w.Write7BitEncodedInt64(ZeroLabels);
    }

    internal static PerformanceAccumulator ReadFrom(BinaryReader r)
    {
        var a = new PerformanceAccumulator { Count = r.Read7BitEncodedInt64() };
        if (a.Count == 0) return a;
        a.TrueNegatives = r.Read7BitEncodedInt64(); a.FalsePositives = r.Read7BitEncodedInt64();
        a.FalseNegatives = r.Read7BitEncodedInt64(); a.TruePositives = r.Read7BitEncodedInt64();
        a.LogLossSum = r.ReadDouble();
        a._positiveScores = ReadBins(r);
        a._negativeScores = ReadBins(r);
        var entries = r.Read7BitEncodedInt();
        if (entries < 0) throw new FormatException("Negative confusion size.");
        if (entries > 0)
        {
            a._confusion = new Dictionary<(string, string), long>(entries);
            for (var i = 0; i < entries; i++) a._confusion[(r.ReadString(), r.ReadString())] = r.Read7BitEncodedInt64();
        }
        a.AbsoluteErrorSum = r.ReadDouble(); a.SquaredErrorSum = r.ReadDouble(); a.PercentageErrorSum = r.ReadDouble();
        a.LabelSum = r.ReadDouble(); a.LabelSquareSum = r.ReadDouble();
        a.PercentageCount = r.Read7BitEncodedInt64(); a.ZeroLabels = r.Read7BitEncodedInt64();
        return a;
    }

    private static void WriteBins(BinaryWriter w, long[]? bins)
    {
        var occupied = bins?.Count(b => b > 0) ?? 0;
        w.Write7BitEncodedInt(occupied);
        if (bins is null) return;
        var previous = -1;
        for (var i = 0; i < bins.Length; i++)
        {
            if (bins[i] == 0) continue;
            w.Write7BitEncodedInt(i - previous);
            w.Write7BitEncodedInt64(bins[i]);
            previous = i;
        }
    }

    private static long[]? ReadBins(BinaryReader r)
    {
        var occupied = r.Read7BitEncodedInt();
        if (occupied == 0) return null;
        if (occupied < 0 || occupied > ScoreBins) throw new FormatException($"{occupied} score bins is out of range.");
        var bins = new long[ScoreBins];
        var index = -1;
        for (var i = 0; i < occupied; i++)
        {
            index += r.Read7BitEncodedInt();
            if (index < 0 || index >= ScoreBins) throw new FormatException("Score bin index out of range.");
            bins[index] = r.Read7BitEncodedInt64();
        }
        return bins;
    }
}
