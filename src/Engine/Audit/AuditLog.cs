using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// The append-only, hash-chained governance log, on SQLite or PostgreSQL. Appends are serialised (a lock in this process,
/// and one write transaction that reads the head under the database's lock, inserts and moves the head), so the chain
/// never forks, however many nodes append. Entries are rare next to events, so this is cheap.
/// </summary>
public sealed class AuditLog(IConnectionFactory connections, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();
    private readonly AuditStore _store = AuditStore.For(connections.Provider);
    private readonly SqlDialect _dialect = connections.Dialect;

    public AuditEntry Append(NewAuditEntry entry) => Write(scope => scope.Record(entry));

    /// <summary>
    /// Runs a change and the entries it records in one transaction: either both are stored or neither.
    /// The change reads and writes through the scope's connection and transaction.
    /// </summary>
    public T Write<T>(Func<AuditScope, T> change)
    {
        lock (_gate)
        {
            using var connection = connections.Open();
            using var transaction = _dialect.BeginWrite(connection);
            var scope = new AuditScope(this, connection, transaction);
            var result = change(scope);
            if (scope.RolledBack) transaction.Rollback();
            else transaction.Commit();
            return result;
        }
    }

    internal AuditEntry Record(DbConnection connection, DbTransaction transaction, NewAuditEntry entry)
    {
        var (headSequence, headHash) = _store.HeadForAppend(connection, transaction);
        // Milliseconds only: the stored time must round-trip exactly into the canonical form.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var sequence = headSequence + 1;
        // Capped before hashing, so the stored entry is exactly what the chain covers (see AuditLimits).
        var actor = AuditLimits.Text(entry.Actor, AuditLimits.MaxIdentifierChars)!;
        string? team = Id(entry.Team), model = Id(entry.Model), version = Id(entry.Version), reason = AuditLimits.Text(Clean(entry.Reason), AuditLimits.MaxReasonChars);
        // An entry about a model is filed under the model's owner team unless the caller named one.
        if (team is null && model is not null) team = _store.OwnerTeam(connection, transaction, model);
        string? before = AuditLimits.Json(Serialize(entry.Before)), after = AuditLimits.Json(Serialize(entry.After));
        var hash = AuditCanonical.Hash(headHash, sequence, at, actor, entry.Action, team, model, version, before, after, reason);
        var stored = new AuditEntry(sequence, at, actor, entry.Action, team, model, version, before, after, reason, headHash, hash);
        _store.Append(connection, transaction, stored);
        return stored;
    }

    /// <summary>Walks the whole chain in sequence order, one row in memory at a time.</summary>
    public AuditVerification Verify(CancellationToken cancellationToken = default)
    {
        using var connection = connections.Open();
        // One read transaction: the head and the rows come from the same snapshot even while appends continue.
        using var transaction = _dialect.BeginSnapshot(connection);
        var (headSequence, headHash) = _store.Head(connection, transaction);
        var expected = 1L;
        Span<byte> last = stackalloc byte[64];
        Span<byte> hash = stackalloc byte[64];
        "0000000000000000000000000000000000000000000000000000000000000000"u8.CopyTo(last);
        using var canonical = new CanonicalBuffer();
        using (var row = _store.ReadChain(connection, transaction))
        {
            while (row.Next())
            {
                if ((expected & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                var seq = row.Int64(0);
                if (seq != expected)
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} is missing: the chain goes from entry {expected - 1} to entry {seq}.");
                var prevHash = row.Utf8(2);
                if (!prevHash.SequenceEqual(last))
                    return AuditVerification.Broken(expected - 1, seq, $"Entry {seq} does not follow entry {seq - 1}: its prev_hash is not entry {seq - 1}'s hash (entries were removed, reordered or rewritten).");
                canonical.Start(prevHash);
                canonical.Add(seq);
                canonical.AddTime(row.Int64(1));
                canonical.AddRaw(row.Utf8(4));
                canonical.HashHex(hash);
                if (!hash.SequenceEqual(row.Utf8(3)))
                    return AuditVerification.Broken(expected - 1, seq, $"Entry {seq} was altered: its content no longer matches its hash.");
                hash.CopyTo(last);
                expected++;
            }
        }
        var entries = expected - 1;
        var lastHash = System.Text.Encoding.ASCII.GetString(last);
        if (headSequence > entries)
            return AuditVerification.Broken(entries, entries + 1, $"The chain ends at entry {entries} but its head records entry {headSequence}: entries {entries + 1} to {headSequence} were removed.");
        if (headSequence < entries)
            return AuditVerification.Broken(entries, headSequence + 1, $"Entries {headSequence + 1} to {entries} were added outside the portal: the head still records entry {headSequence}.");
        if (!string.Equals(headHash, lastHash, StringComparison.Ordinal))
            return AuditVerification.Broken(entries, entries, $"Entry {entries} is not the entry the head records: its hash differs.");
        return AuditVerification.Ok(entries, lastHash);
    }

    /// <summary>Entries matching the filter, newest first, older than the cursor (a sequence number).</summary>
    public AuditPage Page(AuditFilter filter, long? cursor, int limit)
    {
        using var connection = connections.Open();
        var entries = new List<AuditEntry>(limit + 1);
        using (var row = _store.ReadFiltered(connection, null, filter, before: cursor, upTo: null, descending: true, limit: limit + 1))
        {
            while (row.Next()) entries.Add(row.Entry());
        }
        if (entries.Count <= limit) return new AuditPage(entries, null);
        entries.RemoveAt(limit);
        return new AuditPage(entries, entries[^1].Sequence);
    }

    /// <summary>The newest sequence number now; exports pin their range to it so that repeated passes read the same rows.</summary>
    public long HeadSequence()
    {
        using var connection = connections.Open();
        return _store.Head(connection).Sequence;
    }

    /// <summary>The matching entries in sequence order up to a pinned sequence (for small reads: a model's trail, tests).</summary>
    public IReadOnlyList<AuditEntry> Read(AuditFilter filter, long upTo)
    {
        using var connection = connections.Open();
        using var row = _store.ReadFiltered(connection, null, filter, before: null, upTo: upTo, descending: false, limit: null);
        var entries = new List<AuditEntry>();
        while (row.Next()) entries.Add(row.Entry());
        return entries;
    }

    /// <summary>Streams the matching entries up to <paramref name="upTo"/> (default: the head now) as CSV or JSON Lines.</summary>
    public async Task<AuditExportManifest> ExportAsync(Stream output, AuditFilter filter, AuditExportFormat format, long? upTo = null, CancellationToken cancellationToken = default)
    {
        using var connection = connections.Open();
        // A read transaction keeps one snapshot for the whole export, whatever is appended meanwhile.
        using var transaction = _dialect.BeginSnapshot(connection);
        var head = upTo ?? _store.Head(connection, transaction).Sequence;
        using var rows = _store.ReadFiltered(connection, transaction, filter, before: null, upTo: head, descending: false, limit: null);
        return await AuditExport.WriteAsync(output, rows, format, head, cancellationToken);
    }

    private static string? Clean(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Id(string? value) => AuditLimits.Text(Clean(value), AuditLimits.MaxIdentifierChars);

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => null,
        _ => JsonSerializer.Serialize(value, value.GetType(), Json),
    };
}

/// <summary>A change in progress: its connection and transaction, and the entries it records with it.</summary>
public sealed class AuditScope
{
    private readonly AuditLog _log;

    internal AuditScope(AuditLog log, DbConnection connection, DbTransaction transaction)
    {
        _log = log;
        ProviderConnection = connection;
        ProviderTransaction = transaction;
    }

    /// <summary>The change's connection, whatever the provider: for stores moved behind <see cref="IConnectionFactory"/>.</summary>
    public DbConnection ProviderConnection { get; }
    public DbTransaction ProviderTransaction { get; }

    /// <summary>The same connection as SQLite, for the stores not yet on PostgreSQL (see StorageProviders.SqliteOnly).</summary>
    public SqliteConnection Connection => ProviderConnection as SqliteConnection ?? throw NotOnPostgres();
    public SqliteTransaction Transaction => ProviderTransaction as SqliteTransaction ?? throw NotOnPostgres();
    internal bool RolledBack { get; private set; }

    public AuditEntry Record(NewAuditEntry entry) => _log.Record(ProviderConnection, ProviderTransaction, entry);

    private static InvalidOperationException NotOnPostgres() =>
        new("This change's store still speaks only SQLite, but the audit log is on PostgreSQL; move the store behind IConnectionFactory first.");

    /// <summary>Nothing of this change is stored (a refused change records nothing).</summary>
    public void Rollback() => RolledBack = true;
}
