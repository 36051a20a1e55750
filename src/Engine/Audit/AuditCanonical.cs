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
        using var canonical = new CanonicalBuffer();
        canonical.Start(Encoding.ASCII.GetBytes(prevHash));
        canonical.Add(seq);
        canonical.Add(at);
        canonical.Add(actor);
        canonical.Add(action);
        canonical.Add(team);
        canonical.Add(model);
        canonical.Add(version);
        canonical.Add(before);
        canonical.Add(after);
        canonical.Add(reason);
        Span<byte> hex = stackalloc byte[64];
        canonical.HashHex(hex);
        return Encoding.ASCII.GetString(hex);
    }
}

/// <summary>Builds the canonical bytes of one entry at a time, reusing one buffer (the chain walk allocates nothing per entry).</summary>
internal sealed class CanonicalBuffer : IDisposable
{
    // One hash context reused for every entry: a fresh one-shot hash per entry costs more than the hashing itself.
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[4096];
    private int _length;

    public void Start(ReadOnlySpan<byte> prevHash)
    {
        _length = 0;
        Append(prevHash);
    }

    public void Add(long number)
    {
        Span<byte> digits = stackalloc byte[20];
        number.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Add(digits[..n]);
    }

    public void AddTime(long unixMilliseconds)
    {
        Span<byte> text = stackalloc byte[32];
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.TryFormat(text, out var n, AuditCanonical.TimeFormat, CultureInfo.InvariantCulture);
        Add(text[..n]);
    }

    public void Add(string? text)
    {
        if (text is null) { AddNull(); return; }
        var bytes = Encoding.UTF8.GetByteCount(text);
        Span<byte> prefix = stackalloc byte[12];
        bytes.TryFormat(prefix, out var n, default, CultureInfo.InvariantCulture);
        prefix[n++] = (byte)':';
        Append(prefix[..n]);
        Ensure(bytes + 1);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)',';
    }

    /// <summary>A UTF-8 field as stored.</summary>
    public void Add(ReadOnlySpan<byte> utf8)
    {
        Span<byte> prefix = stackalloc byte[12];
        utf8.Length.TryFormat(prefix, out var n, default, CultureInfo.InvariantCulture);
        prefix[n++] = (byte)':';
        Append(prefix[..n]);
        Append(utf8);
        Append(","u8);
    }

    public void AddNull() => Append("~"u8);

    /// <summary>Fields already in canonical form (the chain walk has SQLite build them).</summary>
    public void AddRaw(ReadOnlySpan<byte> canonicalFields) => Append(canonicalFields);

    /// <summary>Writes the lower-case hex SHA-256 of the buffer as 64 ASCII bytes.</summary>
    public void HashHex(Span<byte> hex)
    {
        Span<byte> digest = stackalloc byte[32];
        _sha.AppendData(_buffer.AsSpan(0, _length));
        _sha.GetHashAndReset(digest);
        for (var i = 0; i < 32; i++)
        {
            hex[2 * i] = HexDigit(digest[i] >> 4);
            hex[2 * i + 1] = HexDigit(digest[i] & 0xF);
        }
    }

    public void Dispose() => _sha.Dispose();

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
