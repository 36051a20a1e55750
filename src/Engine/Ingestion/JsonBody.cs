using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;

namespace ModelWatch.Engine.Ingestion;

/// <summary>Parses request bodies. Bare NaN / Infinity tokens (as Python's json module writes them) are accepted as strings.</summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body, out string? error)
    {
        error = null;
        body = WithoutBom(body);
        try
        {
            return ParseDecodable(body);
        }
        catch (JsonException first)
        {
            if (QuoteNonFiniteTokens(body.Span) is { } rewritten)
            {
                try { return ParseDecodable(rewritten); }
                catch (JsonException) { /* report the original error below */ }
            }
            error = $"The body is not valid JSON: {first.Message}";
            return null;
        }
    }

    private static JsonDocument ParseDecodable(ReadOnlyMemory<byte> json)
    {
        ThrowOnUndecodableStrings(json.Span);
        return JsonDocument.Parse(json, Options);
    }

    /// <summary>
    /// JsonDocument accepts strings that cannot become .NET strings (invalid UTF-8, an escaped lone surrogate such as
    /// \ud800) and throws only when they are read; refuse them up front as malformed JSON.
    /// </summary>
    private static void ThrowOnUndecodableStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            if (!reader.ValueIsEscaped)
            {
                if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
                    throw new JsonException($"The string at byte {reader.TokenStartIndex} is not valid UTF-8. Send the body encoded as UTF-8.");
                continue;
            }
            try { reader.GetString(); }
            catch (InvalidOperationException)
            {
                throw new JsonException($"The string at byte {reader.TokenStartIndex} contains an escape that is not a character (a lone surrogate such as \\ud800, or invalid UTF-8).");
            }
        }
    }

    /// <summary>Drops a leading UTF-8 byte order mark, which Windows tools (PowerShell, Notepad) write and JSON parsers refuse.</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith(Encoding.UTF8.Preamble) ? body[Encoding.UTF8.Preamble.Length..] : body;

    /// <summary>Wraps NaN, Infinity and -Infinity outside strings in quotes; null when there is none.</summary>
    internal static byte[]? QuoteNonFiniteTokens(ReadOnlySpan<byte> json)
    {
        ReadOnlySpan<byte> nan = "NaN"u8, inf = "Infinity"u8, negInf = "-Infinity"u8;
        var output = new List<byte>(json.Length + 16);
        var inString = false;
        var changed = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                output.Add(b);
                if (b == '\\' && i + 1 < json.Length) output.Add(json[++i]);
                else if (b == '"') inString = false;
                continue;
            }
            if (b == '"') { inString = true; output.Add(b); continue; }
            var token = json[i..].StartsWith(nan) ? nan : json[i..].StartsWith(negInf) ? negInf : json[i..].StartsWith(inf) ? inf : default;
            if (token.Length > 0)
            {
                output.Add((byte)'"');
                foreach (var t in token) output.Add(t);
                output.Add((byte)'"');
                i += token.Length - 1;
                changed = true;
                continue;
            }
            output.Add(b);
        }
        return changed ? output.ToArray() : null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>ISO 8601 with an explicit offset; a time without one would be read differently on each server.</summary>
    public static bool TryGetTimestamp(JsonElement element, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (element.ValueKind != JsonValueKind.String) return false;
        if (!element.TryGetDateTimeOffset(out timestamp)) return TryParseBasicOffset(element.GetString()!, out timestamp);
        var text = element.GetString()!;
        var timePart = text.IndexOf('T');
        return text.EndsWith('Z') || text.EndsWith('z') || (timePart > 0 && (text.IndexOf('+', timePart) > 0 || text.IndexOf('-', timePart) > 0));
    }

    // ISO 8601's basic offset (+0100, as strftime's %z writes it): System.Text.Json reads only +01:00 and +01.
    private static readonly Regex BasicOffset = new(
        @"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)(?<sign>[+-])(?<hours>\d{2})(?<minutes>\d{2})$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static bool TryParseBasicOffset(string text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var match = BasicOffset.Match(text);
        if (!match.Success) return false;
        var extended = $"{match.Groups["local"].Value}{match.Groups["sign"].Value}{match.Groups["hours"].Value}:{match.Groups["minutes"].Value}";
        return DateTimeOffset.TryParse(extended, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);
    }

    public const string TimestampRule = "must be an ISO 8601 time with a UTC offset, e.g. \"2026-11-23T12:00:00Z\"";

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
