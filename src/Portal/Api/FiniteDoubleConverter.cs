using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelWatch.Portal.Api;

/// <summary>
/// Refuses JSON numbers that overflow a double (1e400 reads as Infinity): they would pass range checks such as
/// "zero or more" and then fail when stored or written to the audit log.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException($"Expected a number (got {reader.TokenType.ToString().ToLowerInvariant()}).");
        var value = reader.GetDouble();
        if (!double.IsFinite(value)) throw new JsonException("The number is too large: send a finite value (a double holds at most about 1.8e308).");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
