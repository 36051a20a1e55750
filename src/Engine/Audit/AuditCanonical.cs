using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// The canonical form an entry's hash covers (docs/api.md, "Audit"):
/// hash = lower-hex(SHA-256(prev_hash as 64 ASCII hex characters ‖ f(seq) f(at) f(actor) f(action) f(subject_team)
/// f(subject_model) f(subject_version) f(before) f(after) f(reason))), where f(null) = "~" and
/// f(text) = decimal UTF-8 byte length ":" UTF-8 bytes "," (a netstring); seq is decimal and at is
/// "yyyy-MM-ddTHH:mm:ss.fffZ" (UTC). Netstrings need no escaping rules, so any language reproduces them byte for byte.
/// </summary>
public static class AuditCanonical
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string Hash(string prevHash, long seq, DateTimeOffset at, string actor, string action, string? team, string? model, string? version, string? before, string? after, string? reason) =>
        Hash(prevHash, seq, FormatTime(at), actor, action, team, model, version, before, after, reason);

    public static string Hash(string prevHash, long seq, string at, string actor, string action, string? team, string? model, string? version, string? before, string? after, string? reason)
    {
        Span<string?> fields = [seq.ToString(CultureInfo.InvariantCulture), at, actor, action, team, model, version, before, after, reason];
        var size = Encoding.ASCII.GetByteCount(prevHash);
        foreach (var f in fields) size += f is null ? 1 : 12 + Encoding.UTF8.GetByteCount(f);

        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = Encoding.ASCII.GetBytes(prevHash, rented);
            foreach (var f in fields) written += Field(f, rented.AsSpan(written));
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, written), digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Field(string? value, Span<byte> destination)
    {
        if (value is null)
        {
            destination[0] = (byte)'~';
            return 1;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        length.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        destination[n++] = (byte)':';
        n += Encoding.UTF8.GetBytes(value, destination[n..]);
        destination[n++] = (byte)',';
        return n;
    }
}
