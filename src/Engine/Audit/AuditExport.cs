using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace ModelWatch.Engine.Audit;

public enum AuditExportFormat { Csv, Jsonl }

/// <summary>
/// What an auditor checks an export against: the entry count, the first and last entries (sequence and hash, which
/// must match the chain) and the SHA-256 of the exact body bytes.
/// </summary>
public sealed record AuditExportManifest(
    string Format,
    long Entries,
    long? FirstSequence,
    string? FirstHash,
    long? LastSequence,
    string? LastHash,
    string BodySha256,
    long BodyBytes,
    long ChainHeadSequence);

/// <summary>
/// Writes audit entries as CSV (CsvHelper, RFC 4180, header row) or JSON Lines, streaming: memory stays flat whatever the
/// number of entries. Columns and fields are the stored values, so each entry's hash can be recomputed from the file.
/// </summary>
public static class AuditExport
{
    public static readonly string[] CsvHeader = ["seq", "at", "actor", "action", "subject_team", "subject_model", "subject_version", "before", "after", "reason", "prev_hash", "hash"];

    public static bool TryParseFormat(string? value, out AuditExportFormat format)
    {
        switch (value?.ToLowerInvariant())
        {
            case null or "" or "csv": format = AuditExportFormat.Csv; return true;
            case "jsonl" or "ndjson": format = AuditExportFormat.Jsonl; return true;
            default: format = default; return false;
        }
    }

    public static string ContentType(AuditExportFormat format) => format == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";

    public static string Extension(AuditExportFormat format) => format == AuditExportFormat.Csv ? "csv" : "jsonl";

    internal static Task<AuditExportManifest> WriteAsync(Stream output, AuditCursor rows, AuditExportFormat format, long chainHead, CancellationToken cancellationToken) =>
        format == AuditExportFormat.Csv ? WriteCsvAsync(output, rows, chainHead, cancellationToken) : WriteJsonlAsync(output, rows, chainHead, cancellationToken);

    private static async Task<AuditExportManifest> WriteCsvAsync(Stream output, AuditCursor rows, long chainHead, CancellationToken cancellationToken)
    {
        var body = new HashingStream(output);
        var tally = new Tally();
        // Defaults: RFC 4180, CRLF, UTF-8 without BOM; formula-like fields get a reversible apostrophe (CsvFormulaGuard).
        await using (var csv = CsvWriter.Create(body, options: null, leaveOpen: true))
        {
            foreach (var name in CsvHeader) csv.WriteField(name);
            await csv.EndRecordAsync(cancellationToken);
            while (rows.Next())
            {
                WriteCsvRecord(csv, rows, tally);
                await csv.EndRecordAsync(cancellationToken);
            }
            await csv.FlushAsync(cancellationToken);
        }
        await body.FlushAsync(cancellationToken);
        return tally.Manifest("csv", body, chainHead);
    }

    // Synchronous so that the row's spans never cross an await.
    private static void WriteCsvRecord(CsvWriter csv, AuditCursor row, Tally tally)
    {
        Span<byte> text = stackalloc byte[32];
        row.Int64(AuditCursor.Seq).TryFormat(text, out var n, default, CultureInfo.InvariantCulture);
        csv.WriteField(text[..n]);
        DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(AuditCursor.At)).UtcDateTime.TryFormat(text, out n, AuditCanonical.TimeFormat, CultureInfo.InvariantCulture);
        csv.WriteField(text[..n]);
        for (var column = AuditCursor.Actor; column <= AuditCursor.Hash; column++)
        {
            var field = row.Utf8(column);
            if (CsvFormulaGuard.NeedsGuard(field)) csv.WriteField(CsvFormulaGuard.Guarded(field));
            else csv.WriteField(field);
        }
        tally.Add(row);
    }

    private static async Task<AuditExportManifest> WriteJsonlAsync(Stream output, AuditCursor rows, long chainHead, CancellationToken cancellationToken)
    {
        var body = new HashingStream(output);
        var tally = new Tally();
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            while (rows.Next())
            {
                WriteJsonLine(json, buffer, rows, tally);
                if (buffer.WrittenCount >= 1 << 16)
                {
                    await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                    buffer.ResetWrittenCount();
                }
            }
            await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
        await body.FlushAsync(cancellationToken);
        return tally.Manifest("jsonl", body, chainHead);
    }

    private static readonly byte[][] JsonNames = ["seq"u8.ToArray(), "at"u8.ToArray(), "actor"u8.ToArray(), "action"u8.ToArray(), "subjectTeam"u8.ToArray(),
        "subjectModel"u8.ToArray(), "subjectVersion"u8.ToArray(), "before"u8.ToArray(), "after"u8.ToArray(), "reason"u8.ToArray(), "prevHash"u8.ToArray(), "hash"u8.ToArray()];

    private static void WriteJsonLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, AuditCursor row, Tally tally)
    {
        json.WriteStartObject();
        json.WriteNumber(JsonNames[AuditCursor.Seq], row.Int64(AuditCursor.Seq));
        Span<byte> text = stackalloc byte[32];
        DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(AuditCursor.At)).UtcDateTime.TryFormat(text, out var n, AuditCanonical.TimeFormat, CultureInfo.InvariantCulture);
        json.WriteString(JsonNames[AuditCursor.At], text[..n]);
        for (var column = AuditCursor.Actor; column <= AuditCursor.Hash; column++)
        {
            if (row.IsNull(column)) json.WriteNull(JsonNames[column]);
            else json.WriteString(JsonNames[column], row.Utf8(column));
        }
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        buffer.Write("\n"u8);
        tally.Add(row);
    }

    private sealed class Tally
    {
        private long _entries;
        private long? _firstSequence, _lastSequence;
        private string? _firstHash;
        private readonly byte[] _lastHash = new byte[64];

        public void Add(AuditCursor row)
        {
            var seq = row.Int64(AuditCursor.Seq);
            if (_entries++ == 0) (_firstSequence, _firstHash) = (seq, Encoding.ASCII.GetString(row.Utf8(AuditCursor.Hash)));
            _lastSequence = seq;
            row.Utf8(AuditCursor.Hash).CopyTo(_lastHash);
        }

        public AuditExportManifest Manifest(string format, HashingStream body, long chainHead) =>
            new(format, _entries, _firstSequence, _firstHash, _lastSequence, _entries == 0 ? null : Encoding.ASCII.GetString(_lastHash), body.Sha256Hex(), body.Length, chainHead);
    }
}

/// <summary>Passes bytes through to another stream (or nowhere) while hashing and counting them.</summary>
public sealed class HashingStream(Stream? inner) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public string Sha256Hex() => Convert.ToHexStringLower(_sha.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _sha.AppendData(buffer);
        _length += buffer.Length;
        inner?.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sha.AppendData(buffer.Span);
        _length += buffer.Length;
        return inner is null ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner?.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha.Dispose();
        base.Dispose(disposing);
    }
}
