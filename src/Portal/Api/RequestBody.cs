using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Ingestion;

namespace ModelWatch.Portal.Api;

/// <summary>
/// Reads a JSON request body ourselves, so that a wrong content type, a body over the limit or malformed JSON each
/// get a problem response that says what to change.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private byte[]? _rented;

    private RequestBody(byte[] rented, ReadOnlyMemory<byte> memory)
    {
        _rented = rented;
        Memory = memory;
    }

    public ReadOnlyMemory<byte> Memory { get; }

    public static async Task<(RequestBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            // Exactly application/json: form and text/plain bodies are what another site's page can post without a preflight.
            var detail = $"Send the body as JSON with the header 'Content-Type: application/json' (got '{request.ContentType ?? "none"}').";
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail, [new("contentType", detail)]));
        }
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + 1; // our own limit gives the clearer answer

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes) break;
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            length = (int)Math.Min(maxBytes + 1, int.MaxValue);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, TooLarge(maxBytes));
        }
        var memory = JsonBody.WithoutBom(buffer.AsMemory(0, length));
        if (memory.IsEmpty)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, Problems.BadRequest("The request body is empty; send a JSON object.", [new("body", "is empty")]));
        }
        return (new RequestBody(buffer, memory), null);
    }

    /// <summary>Reads a small JSON object into <typeparamref name="T"/> with a readable error for malformed input.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadObjectAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        var (body, problem) = await ReadAsync(request, 1024 * 1024, cancellationToken);
        if (body is null) return (null, problem);
        using (body)
        {
            try
            {
                var value = JsonSerializer.Deserialize<T>(body.Memory.Span, JsonOptions);
                return value is null ? (null, Problems.BadRequest("The body must be a JSON object, not null.", [new("body", "is null")])) : (value, null);
            }
            catch (JsonException e)
            {
                var where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
                var detail = $"The body could not be read{where}: {Describe(e)}";
                return (null, Problems.BadRequest(detail, [new(e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body", detail)]));
            }
            catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException || e.Message.Contains("UTF", StringComparison.Ordinal))
            {
                // A string that is not text: invalid UTF-8, or an escaped lone surrogate such as \ud800.
                var detail = "The body contains a string that is not valid text (invalid UTF-8 or a lone surrogate escape such as \\ud800). Send the body as UTF-8.";
                return (null, Problems.BadRequest(detail, [new("body", detail)]));
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Converters = { new FiniteDoubleConverter() } };

    /// <summary>The reader's own words for malformed JSON; a type mismatch is described without naming our internal types.</summary>
    private static string Describe(JsonException e)
    {
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        if (e.Message.Contains("could not be converted to", StringComparison.Ordinal) || e.Message.Contains("ModelWatch.", StringComparison.Ordinal))
            return $"the value there has the wrong JSON type (e.g. a string where a number or an object is expected){position}.";
        return e.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "The body is too large",
            $"Request bodies are limited to {maxBytes / (1024 * 1024.0):0.#} MB ({maxBytes} bytes). Split the batch into smaller requests.");

    /// <summary>The media type is exactly application/json; a charset parameter, if any, is UTF-8.</summary>
    public static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        string.Equals(media.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase) &&
        (media.Charset.Length == 0 || string.Equals(media.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        if (_rented is null) return;
        ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }

}
