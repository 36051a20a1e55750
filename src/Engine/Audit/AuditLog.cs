using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// The append-only, hash-chained governance log. Appends are serialised (a lock and one write transaction that reads
/// the head, inserts and moves the head), so the chain never forks. Entries are rare next to events, so this is cheap.
/// </summary>
public sealed class AuditLog(SqliteConnectionFactory connections, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();

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
            using var transaction = connection.BeginTransaction();
            var scope = new AuditScope(this, connection, transaction);
            var result = change(scope);
            if (scope.RolledBack) transaction.Rollback();
            else transaction.Commit();
            return result;
        }
    }

    internal AuditEntry Record(SqliteConnection connection, SqliteTransaction transaction, NewAuditEntry entry)
    {
        var (headSequence, headHash) = AuditStore.Head(connection, transaction);
        // Milliseconds only: the stored time must round-trip exactly into the canonical form.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var sequence = headSequence + 1;
        string? team = Clean(entry.Team), model = Clean(entry.Model), version = Clean(entry.Version), reason = Clean(entry.Reason);
        string? before = Serialize(entry.Before), after = Serialize(entry.After);
        var hash = AuditCanonical.Hash(headHash, sequence, at, entry.Actor, entry.Action, team, model, version, before, after, reason);
        var stored = new AuditEntry(sequence, at, entry.Actor, entry.Action, team, model, version, before, after, reason, headHash, hash);
        AuditStore.Append(connection, transaction, stored);
        return stored;
    }

    /// <summary>Walks the whole chain in sequence order, one row in memory at a time.</summary>
    public AuditVerification Verify(CancellationToken cancellationToken = default)
    {
        using var connection = connections.Open();
        // One read transaction: the head and the rows come from the same snapshot even while appends continue.
        using var transaction = connection.BeginTransaction(deferred: true);
        var (headSequence, headHash) = AuditStore.Head(connection, transaction);
        var expected = 1L;
        var last = AuditCanonical.GenesisHash;
        using (var r = AuditStore.ReadChain(connection, transaction))
        {
            while (r.Read())
            {
                if ((expected & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                var seq = r.GetInt64(0);
                if (seq != expected)
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} is missing: the chain goes from entry {expected - 1} to entry {seq}.");
                var prevHash = r.GetString(10);
                if (!string.Equals(prevHash, last, StringComparison.Ordinal))
                    return AuditVerification.Broken(expected - 1, seq, $"Entry {seq} does not follow entry {seq - 1}: its prev_hash is not entry {seq - 1}'s hash (entries were removed, reordered or rewritten).");
                var hash = AuditCanonical.Hash(prevHash, seq, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3),
                    Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8), Text(r, 9));
                if (!string.Equals(hash, r.GetString(11), StringComparison.Ordinal))
                    return AuditVerification.Broken(expected - 1, seq, $"Entry {seq} was altered: its content no longer matches its hash.");
                last = hash;
                expected++;
            }
        }
        var entries = expected - 1;
        if (headSequence > entries)
            return AuditVerification.Broken(entries, entries + 1, $"The chain ends at entry {entries} but its head records entry {headSequence}: entries {entries + 1} to {headSequence} were removed.");
        if (headSequence < entries)
            return AuditVerification.Broken(entries, headSequence + 1, $"Entries {headSequence + 1} to {entries} were added outside the portal: the head still records entry {headSequence}.");
        if (!string.Equals(headHash, last, StringComparison.Ordinal))
            return AuditVerification.Broken(entries, entries, $"Entry {entries} is not the entry the head records: its hash differs.");
        return AuditVerification.Ok(entries, last);
    }

    /// <summary>Entries matching the filter, newest first, older than the cursor (a sequence number).</summary>
    public AuditPage Page(AuditFilter filter, long? cursor, int limit)
    {
        using var connection = connections.Open();
        var entries = new List<AuditEntry>(limit + 1);
        using (var r = AuditStore.ReadFiltered(connection, filter, after: null, before: cursor, upTo: null, descending: true, limit: limit + 1))
        {
            while (r.Read()) entries.Add(AuditStore.ReadEntry(r));
        }
        if (entries.Count <= limit) return new AuditPage(entries, null);
        entries.RemoveAt(limit);
        return new AuditPage(entries, entries[^1].Sequence);
    }

    /// <summary>The newest sequence number now; exports pin their range to it so both passes read the same rows.</summary>
    public long HeadSequence()
    {
        using var connection = connections.Open();
        return AuditStore.Head(connection).Sequence;
    }

    /// <summary>Streams the matching entries in sequence order up to a pinned sequence.</summary>
    public IEnumerable<AuditEntry> Read(AuditFilter filter, long upTo)
    {
        using var connection = connections.Open();
        using var r = AuditStore.ReadFiltered(connection, filter, after: null, before: null, upTo: upTo, descending: false, limit: null);
        while (r.Read()) yield return AuditStore.ReadEntry(r);
    }

    private static string? Text(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string? Clean(string? value) => string.IsNullOrEmpty(value) ? null : value;

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

    internal AuditScope(AuditLog log, SqliteConnection connection, SqliteTransaction transaction)
    {
        _log = log;
        Connection = connection;
        Transaction = transaction;
    }

    public SqliteConnection Connection { get; }
    public SqliteTransaction Transaction { get; }
    internal bool RolledBack { get; private set; }

    public AuditEntry Record(NewAuditEntry entry) => _log.Record(Connection, Transaction, entry);

    /// <summary>Nothing of this change is stored (a refused change records nothing).</summary>
    public void Rollback() => RolledBack = true;
}
