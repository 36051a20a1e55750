using System.Text;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Latency;
using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Compact, versioned binary form of a closed <see cref="MinuteBucket"/> or <see cref="SystemBucket"/>, for the
/// persisted tiers. Sparse: only non-empty parts are written (a presence mask, then only features with data, each
/// with its ordinal), counts as varints. A quiet minute with one prediction and a few features is tens of bytes.
/// Nothing in it depends on a baseline, so blobs stay valid when the reference changes.
/// </summary>
/// <remarks>
/// Layout v1 (minute): version byte, first minute (zig-zag varint, 0 = none, else value + 1), predictions,
/// prediction numbers, failed predictions, sample errors (varints), presence mask (varint), the parts the mask names, the number of features
/// with data, then per feature: ordinal, part mask, quality counts, numeric sketch or category counts.
/// A feature whose ordinal the model no longer declares, or whose type changed, is skipped on decode.
/// </remarks>
public static class MinuteBucketCodec
{
    public const byte MinuteFormatVersion = 1;
    public const byte SystemFormatVersion = 1;

    [Flags]
    private enum Parts
    {
        None = 0,
        Sums = 1,
        Latency = 2,
        PredictionSketch = 4,
        PredictionClasses = 8,
        Residuals = 16,
        Performance = 32,
        Undeclared = 64,
    }

    [Flags]
    private enum FeatureParts : byte
    {
        None = 0,
        Quality = 1,
        Numerical = 2,
        Categorical = 4,
    }

    internal static byte[] Encode(MinuteBucket bucket)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(MinuteFormatVersion);
            w.Write7BitEncodedInt64(bucket.FirstMinute is { } first ? Varint.ZigZag(first) + 1 : 0);
            w.Write7BitEncodedInt64(bucket.Predictions);
            w.Write7BitEncodedInt64(bucket.PredictionNumbers);
            w.Write7BitEncodedInt64(bucket.FailedPredictions);
            w.Write7BitEncodedInt64(bucket.SampleErrors);

            var parts = Parts.None;
            if (bucket.PredictionSum != 0 || bucket.CostUsd != 0) parts |= Parts.Sums;
            if (!bucket.Latency.IsEmpty) parts |= Parts.Latency;
            if (bucket.PredictionSketch.Count + bucket.PredictionSketch.NonFiniteCount > 0) parts |= Parts.PredictionSketch;
            if (bucket.PredictionClasses.Total > 0) parts |= Parts.PredictionClasses;
            if (bucket.ResidualSketch.Count + bucket.ResidualSketch.NonFiniteCount > 0) parts |= Parts.Residuals;
            if (bucket.Performance.Count > 0) parts |= Parts.Performance;
            if (bucket.Undeclared.Total > 0) parts |= Parts.Undeclared;
            w.Write7BitEncodedInt((int)parts);

            if (parts.HasFlag(Parts.Sums)) { w.Write(bucket.PredictionSum); w.Write(bucket.CostUsd); }
            if (parts.HasFlag(Parts.Latency)) WriteBlob(w, bucket.Latency.ToBytes());
            if (parts.HasFlag(Parts.PredictionSketch)) bucket.PredictionSketch.WriteTo(w);
            if (parts.HasFlag(Parts.PredictionClasses)) bucket.PredictionClasses.WriteTo(w);
            if (parts.HasFlag(Parts.Residuals)) bucket.ResidualSketch.WriteTo(w);
            if (parts.HasFlag(Parts.Performance)) bucket.Performance.WriteTo(w);
            if (parts.HasFlag(Parts.Undeclared)) bucket.Undeclared.WriteTo(w);

            var features = bucket.Model.Features.Count;
            var withData = new List<(int Ordinal, FeatureParts Parts)>();
            for (var i = 0; i < features; i++)
            {
                var p = FeatureParts.None;
                if (bucket.Quality(i).Rows > 0) p |= FeatureParts.Quality;
                if (bucket.Numerical(i) is { } n && n.Count + n.NonFiniteCount > 0) p |= FeatureParts.Numerical;
                if (bucket.Categorical(i) is { Total: > 0 }) p |= FeatureParts.Categorical;
                if (p != FeatureParts.None) withData.Add((i, p));
            }
            w.Write7BitEncodedInt(withData.Count);
            foreach (var (ordinal, p) in withData)
            {
                w.Write7BitEncodedInt(ordinal);
                w.Write((byte)p);
                if (p.HasFlag(FeatureParts.Quality))
                {
                    var q = bucket.Quality(ordinal);
                    w.Write7BitEncodedInt64(q.Rows); w.Write7BitEncodedInt64(q.Missing); w.Write7BitEncodedInt64(q.TypeErrors);
                    w.Write7BitEncodedInt64(q.OutOfBounds); w.Write7BitEncodedInt64(q.UnknownCategory);
                }
                if (p.HasFlag(FeatureParts.Numerical)) bucket.Numerical(ordinal)!.WriteTo(w);
                if (p.HasFlag(FeatureParts.Categorical)) bucket.Categorical(ordinal)!.WriteTo(w);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Decodes a blob written by <see cref="Encode(MinuteBucket)"/> for the same model (caps from <paramref name="limits"/>).</summary>
    /// <exception cref="FormatException">The blob is not a minute bucket of a known format, or is cut short.</exception>
    internal static MinuteBucket DecodeMinute(ModelDefinition model, ReadOnlySpan<byte> blob, BucketLimits? limits = null)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(blob.ToArray()), Encoding.UTF8);
            var version = r.ReadByte();
            if (version != MinuteFormatVersion) throw new FormatException($"Unknown minute bucket format {version}.");
            var bucket = new MinuteBucket(model, limits);
            var first = r.Read7BitEncodedInt64();
            bucket.FirstMinute = first == 0 ? null : Varint.UnZigZag(first - 1);
            bucket.Predictions = r.Read7BitEncodedInt64();
            bucket.PredictionNumbers = r.Read7BitEncodedInt64();
            bucket.FailedPredictions = r.Read7BitEncodedInt64();
            bucket.SampleErrors = r.Read7BitEncodedInt64();
            var parts = (Parts)r.Read7BitEncodedInt();
            var caps = bucket.Limits;
            if (parts.HasFlag(Parts.Sums)) { bucket.PredictionSum = r.ReadDouble(); bucket.CostUsd = r.ReadDouble(); }
            if (parts.HasFlag(Parts.Latency)) bucket.Latency = LatencySketch.FromBytes(ReadBlob(r));
            if (parts.HasFlag(Parts.PredictionSketch)) bucket.PredictionSketch = NumericSketch.ReadFrom(r);
            if (parts.HasFlag(Parts.PredictionClasses)) bucket.PredictionClasses = CappedCounts.ReadFrom(r, caps.MaxCategoriesPerFeature);
            if (parts.HasFlag(Parts.Residuals)) bucket.ResidualSketch = NumericSketch.ReadFrom(r);
            if (parts.HasFlag(Parts.Performance)) bucket.Performance = PerformanceAccumulator.ReadFrom(r);
            if (parts.HasFlag(Parts.Undeclared)) bucket.Undeclared = CappedCounts.ReadFrom(r, caps.MaxUndeclaredFeatures);

            var withData = r.Read7BitEncodedInt();
            for (var i = 0; i < withData; i++)
            {
                var ordinal = r.Read7BitEncodedInt();
                var p = (FeatureParts)r.ReadByte();
                var quality = default(QualityCount);
                if (p.HasFlag(FeatureParts.Quality))
                    quality = new QualityCount(r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64());
                var numerical = p.HasFlag(FeatureParts.Numerical) ? NumericSketch.ReadFrom(r) : null;
                var categorical = p.HasFlag(FeatureParts.Categorical) ? CappedCounts.ReadFrom(r, caps.MaxCategoriesPerFeature) : null;
                if (ordinal < 0 || ordinal >= model.Features.Count) continue; // the model no longer declares it
                var type = model.Features[ordinal].Type;
                bucket.SetFeature(ordinal, type == FeatureType.Numerical ? numerical : null, type == FeatureType.Categorical ? categorical : null, quality);
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw new FormatException("Trailing bytes after a minute bucket.");
            return bucket;
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("The minute bucket blob is cut short.", e);
        }
    }

    internal static byte[] Encode(SystemBucket bucket)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(SystemFormatVersion);
            w.Write7BitEncodedInt64(bucket.FirstMinute is { } first ? Varint.ZigZag(first) + 1 : 0);
            w.Write7BitEncodedInt64(bucket.Samples);
            w.Write7BitEncodedInt64(bucket.Errors);
            w.Write(bucket.CostRecordsUsd);
            w.Write7BitEncodedInt64(bucket._cpuCount);
            if (bucket._cpuCount > 0) w.Write(bucket._cpuSum);
            w.Write7BitEncodedInt64(bucket._memoryCount);
            if (bucket._memoryCount > 0) w.Write(bucket._memorySum);
            w.Write7BitEncodedInt64(bucket._gpuCount);
            if (bucket._gpuCount > 0) w.Write(bucket._gpuSum);
        }
        return stream.ToArray();
    }

    /// <exception cref="FormatException">The blob is not a system bucket of a known format, or is cut short.</exception>
    internal static SystemBucket DecodeSystem(ReadOnlySpan<byte> blob)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(blob.ToArray()));
            var version = r.ReadByte();
            if (version != SystemFormatVersion) throw new FormatException($"Unknown system bucket format {version}.");
            var first = r.Read7BitEncodedInt64();
            var bucket = new SystemBucket { FirstMinute = first == 0 ? null : Varint.UnZigZag(first - 1), Samples = r.Read7BitEncodedInt64(), Errors = r.Read7BitEncodedInt64(), CostRecordsUsd = r.ReadDouble() };
            bucket._cpuCount = r.Read7BitEncodedInt64();
            if (bucket._cpuCount > 0) bucket._cpuSum = r.ReadDouble();
            bucket._memoryCount = r.Read7BitEncodedInt64();
            if (bucket._memoryCount > 0) bucket._memorySum = r.ReadDouble();
            bucket._gpuCount = r.Read7BitEncodedInt64();
            if (bucket._gpuCount > 0) bucket._gpuSum = r.ReadDouble();
            if (r.BaseStream.Position != r.BaseStream.Length) throw new FormatException("Trailing bytes after a system bucket.");
            return bucket;
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("The system bucket blob is cut short.", e);
        }
    }

    private static void WriteBlob(BinaryWriter w, byte[] bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBlob(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length < 0) throw new FormatException("Negative blob length.");
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return bytes;
    }
}
