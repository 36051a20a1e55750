using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// Compact binary form of an event's features: per feature a varint key (schema ordinal + 1, or 0 followed by the
/// name when undeclared), a kind byte and the value. Names of declared features are not repeated on every row.
/// </summary>
public static class FeatureCodec
{
    public sealed record EncodedFeatures(byte[] Data, QualityProblem[] Problems, string[]? Undeclared);

    /// <summary>
    /// Encodes one "features" object and classifies each declared feature's data-quality problem. The problems are
    /// tallied only when the writer knows the event is not a duplicate.
    /// </summary>
    public static EncodedFeatures Encode(JsonElement features, ModelDefinition model, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var schema = model.Features;
        var problems = new QualityProblem[schema.Count];
        Span<bool> seen = schema.Count <= 256 ? stackalloc bool[schema.Count] : new bool[schema.Count];
        List<string>? undeclared = null;
        if (features.ValueKind == JsonValueKind.Object)
        foreach (var property in features.EnumerateObject())
        {
            if (model.TryGetFeatureOrdinal(property.Name, out var ordinal))
            {
                if (seen[ordinal]) continue; // a repeated key in one object: the first value wins
                seen[ordinal] = true;
                WriteVarint(buffer, (uint)ordinal + 1);
                problems[ordinal] = WriteValue(buffer, property.Value, schema[ordinal]);
            }
            else
            {
                WriteVarint(buffer, 0);
                WriteString(buffer, property.Name);
                WriteValue(buffer, property.Value, spec: null);
                (undeclared ??= []).Add(property.Name);
            }
        }
        for (var i = 0; i < schema.Count; i++)
        {
            if (!seen[i]) problems[i] = QualityProblem.Missing;
        }
        return new EncodedFeatures(buffer.WrittenSpan.ToArray(), problems, undeclared?.ToArray());
    }

    /// <summary>
    /// The data-quality problem of a stored value; agrees with what <see cref="Encode"/> decided from the JSON,
    /// so counts rebuilt from stored events match the live ones.
    /// </summary>
    public static QualityProblem Classify(FeatureValue value, FeatureSpec spec) => value.Kind switch
    {
        FeatureValueKind.Null => QualityProblem.Missing,
        FeatureValueKind.Number when spec.Type == FeatureType.Categorical || !double.IsFinite(value.Number) => QualityProblem.TypeError,
        FeatureValueKind.Number => (spec.Min is { } min && value.Number < min) || (spec.Max is { } max && value.Number > max) ? QualityProblem.OutOfBounds : QualityProblem.None,
        FeatureValueKind.Text when spec.Type == FeatureType.Numerical => QualityProblem.TypeError,
        FeatureValueKind.Text => spec.Categories is { Count: > 0 } categories && !categories.Contains(value.Text!) ? QualityProblem.UnknownCategory : QualityProblem.None,
        _ => QualityProblem.TypeError,
    };

    /// <summary>Problems per declared feature (Missing where absent) and the names of undeclared features.</summary>
    public static (QualityProblem[] Problems, string[]? Undeclared) Classify(List<DecodedFeature> features, IReadOnlyList<FeatureSpec> schema)
    {
        var problems = new QualityProblem[schema.Count];
        var seen = new bool[schema.Count];
        List<string>? undeclared = null;
        foreach (var f in features)
        {
            if (f.Ordinal < 0) { (undeclared ??= []).Add(f.UndeclaredName!); continue; }
            if (f.Ordinal >= schema.Count || seen[f.Ordinal]) continue;
            seen[f.Ordinal] = true;
            problems[f.Ordinal] = Classify(f.Value, schema[f.Ordinal]);
        }
        for (var i = 0; i < schema.Count; i++)
            if (!seen[i]) problems[i] = QualityProblem.Missing;
        return (problems, undeclared?.ToArray());
    }

    public static List<DecodedFeature> Decode(ReadOnlySpan<byte> encoded)
    {
        var result = new List<DecodedFeature>();
        var position = 0;
        while (position < encoded.Length)
        {
            var key = ReadVarint(encoded, ref position);
            string? name = null;
            if (key == 0) name = ReadString(encoded, ref position);
            var kind = (FeatureValueKind)encoded[position++];
            var value = kind switch
            {
                FeatureValueKind.Number => new FeatureValue(kind, BinaryPrimitives.ReadDoubleLittleEndian(encoded[position..]), null),
                FeatureValueKind.Text or FeatureValueKind.Raw => new FeatureValue(kind, double.NaN, ReadString(encoded, ref position)),
                _ => new FeatureValue(kind, double.NaN, null),
            };
            if (kind == FeatureValueKind.Number) position += 8;
            result.Add(new DecodedFeature(key == 0 ? -1 : (int)key - 1, name, value));
        }
        return result;
    }

    private static QualityProblem WriteValue(ArrayBufferWriter<byte> buffer, JsonElement value, FeatureSpec? spec)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                WriteKind(buffer, FeatureValueKind.Null);
                return QualityProblem.Missing;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                WriteNumber(buffer, number);
                if (spec is null) return QualityProblem.None;
                if (spec.Type == FeatureType.Categorical || !double.IsFinite(number)) return QualityProblem.TypeError;
                return (spec.Min is { } min && number < min) || (spec.Max is { } max && number > max) ? QualityProblem.OutOfBounds : QualityProblem.None;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (spec?.Type == FeatureType.Numerical && NonFinite(text) is { } special)
                {
                    // Python's json module writes NaN/Infinity; keep the value as the number it means, counted as a type error.
                    WriteNumber(buffer, special);
                    return QualityProblem.TypeError;
                }
                WriteKind(buffer, FeatureValueKind.Text);
                WriteString(buffer, text);
                if (spec is null) return QualityProblem.None;
                if (spec.Type == FeatureType.Numerical) return QualityProblem.TypeError;
                return spec.Categories is { Count: > 0 } categories && !categories.Contains(text) ? QualityProblem.UnknownCategory : QualityProblem.None;
            case JsonValueKind.True:
                WriteKind(buffer, FeatureValueKind.True);
                return spec is null ? QualityProblem.None : QualityProblem.TypeError;
            case JsonValueKind.False:
                WriteKind(buffer, FeatureValueKind.False);
                return spec is null ? QualityProblem.None : QualityProblem.TypeError;
            default:
                WriteKind(buffer, FeatureValueKind.Raw);
                WriteString(buffer, value.GetRawText());
                return spec is null ? QualityProblem.None : QualityProblem.TypeError;
        }
    }

    internal static double? NonFinite(string text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" or "+Infinity" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => null,
    };

    private static void WriteKind(ArrayBufferWriter<byte> buffer, FeatureValueKind kind)
    {
        buffer.GetSpan(1)[0] = (byte)kind;
        buffer.Advance(1);
    }

    private static void WriteNumber(ArrayBufferWriter<byte> buffer, double number)
    {
        var span = buffer.GetSpan(9);
        span[0] = (byte)FeatureValueKind.Number;
        BinaryPrimitives.WriteDoubleLittleEndian(span[1..], number);
        buffer.Advance(9);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(buffer, (uint)length);
        Encoding.UTF8.GetBytes(text, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> buffer, uint value)
    {
        var span = buffer.GetSpan(5);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        buffer.Advance(i);
    }

    private static uint ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        uint result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = data[position++];
            result |= (uint)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return result;
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int position)
    {
        var length = (int)ReadVarint(data, ref position);
        var text = Encoding.UTF8.GetString(data.Slice(position, length));
        position += length;
        return text;
    }
}
