using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    public static Task<AuditExportManifest> WriteAsync(Stream output, IEnumerable<AuditEntry> entries, AuditExportFormat format, long chainHead, CancellationToken cancellationToken) =>
        format == AuditExportFormat.Csv ? WriteCsvAsync(output, entries, chainHead, cancellationToken) : WriteJsonlAsync(output, entries, chainHead, cancellationToken);

    public static async Task<AuditExportManifest> WriteCsvAsync(Stream output, IEnumerable<AuditEntry> entries, long chainHead, CancellationToken cancellationToken)
    {
        var body = new HashingStream(output);
        var tally = new Tally();
        // Defaults: RFC 4180, CRLF, UTF-8 without BOM, no formula escaping (fields stay byte-exact for re-hashing).
        await using (var csv = CsvWriter.Create(body, options: null, leaveOpen: true))
        {
            foreach (var name in CsvHeader) csv.WriteField(name);
            await csv.EndRecordAsync(cancellationToken);
            foreach (var e in entries)
            {
                csv.WriteField(e.Sequence.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(AuditCanonical.FormatTime(e.At));
                csv.WriteField(e.Actor);
                csv.WriteField(e.Action);
                csv.WriteField(e.SubjectTeam);
                csv.WriteField(e.SubjectModel);
                csv.WriteField(e.SubjectVersion);
                csv.WriteField(e.Before);
                csv.WriteField(e.After);
                csv.WriteField(e.Reason);
                csv.WriteField(e.PrevHash);
                csv.WriteField(e.Hash);
                await csv.EndRecordAsync(cancellationToken);
                tally.Add(e);
            }
            await csv.FlushAsync(cancellationToken);
        }
        await body.FlushAsync(cancellationToken);
        return tally.Manifest("csv", body, chainHead);
    }

    public static async Task<AuditExportManifest> WriteJsonlAsync(Stream output, IEnumerable<AuditEntry> entries, long chainHead, CancellationToken cancellationToken)
    {
        var body = new HashingStream(output);
        var tally = new Tally();
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", e.Sequence);
                json.WriteString("at", AuditCanonical.FormatTime(e.At));
                json.WriteString("actor", e.Actor);
                json.WriteString("action", e.Action);
                json.WriteString("subjectTeam", e.SubjectTeam);
                json.WriteString("subjectModel", e.SubjectModel);
                json.WriteString("subjectVersion", e.SubjectVersion);
                json.WriteString("before", e.Before);
                json.WriteString("after", e.After);
                json.WriteString("reason", e.Reason);
                json.WriteString("prevHash", e.PrevHash);
                json.WriteString("hash", e.Hash);
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
                tally.Add(e);
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

    private sealed class Tally
    {
        public long Entries;
        private long? _firstSequence, _lastSequence;
        private string? _firstHash, _lastHash;

        public void Add(AuditEntry e)
        {
            if (Entries++ == 0) (_firstSequence, _firstHash) = (e.Sequence, e.Hash);
            (_lastSequence, _lastHash) = (e.Sequence, e.Hash);
        }

        public AuditExportManifest Manifest(string format, HashingStream body, long chainHead) =>
            new(format, Entries, _firstSequence, _firstHash, _lastSequence, _lastHash, body.Sha256Hex(), body.Length, chainHead);
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
