using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

/// <summary>
/// The audit log's behaviour, written once and run against every provider (<see cref="SqliteAuditStoreTests"/>,
/// <see cref="PostgresAuditStoreTests"/>). A provider only says how to open a node and how an attacker gets past its triggers.
/// </summary>
public abstract class AuditStoreContract : IDisposable
{
    protected FakeTimeProvider Clock { get; } = new(EngineHarness.Start);

    /// <summary>The first node's connections, on a migrated database of the test's own.</summary>
    protected abstract IConnectionFactory Connections { get; }

    /// <summary>Another node: its own pool on the same database.</summary>
    protected abstract IConnectionFactory SecondNode();

    /// <summary>An attacker with database access: switches the append-only triggers off, then runs the statement.</summary>
    protected abstract void Tamper(string sql);

    public abstract void Dispose();

    private AuditLog Log => _log ??= new AuditLog(Connections, Clock);
    private AuditLog? _log;

    private List<AuditEntry> AppendTen()
    {
        var appended = new List<AuditEntry>();
        for (var i = 1; i <= 10; i++)
        {
            appended.Add(Log.Append(new NewAuditEntry("user:dana", AuditActions.VersionRegistered, "payments-risk", "fraud-detector", $"1.{i}.0",
                Before: i == 1 ? null : new { version = $"1.{i - 1}.0" }, After: new { version = $"1.{i}.0", note = "ünïcødé ✓, \"quoted\" 🚀" }, Reason: i % 2 == 0 ? "retrained" : null)));
            Clock.Advance(TimeSpan.FromSeconds(1.2345));
        }
        return appended;
    }

    private void Execute(string sql, object? parameters = null)
    {
        using var connection = Connections.Open();
        connection.Execute(sql, parameters);
    }

    [Fact]
    public void An_empty_log_verifies_with_the_genesis_hash()
    {
        var result = Log.Verify();

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(0, result.Entries);
        Assert.Equal(AuditCanonical.GenesisHash, result.LastHash);
    }

    [Fact]
    public void Appended_entries_form_a_chain_that_verifies_and_reads_back_as_written()
    {
        var appended = AppendTen();

        var result = Log.Verify();
        var entries = Log.Read(AuditFilter.All, long.MaxValue);

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(10, result.Entries);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditCanonical.GenesisHash, entries[0].PrevHash);
        for (var i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].Hash, entries[i].PrevHash);
        Assert.Equal(entries[^1].Hash, result.LastHash);
        Assert.Equal(appended, entries);
        // Nine steps of 1.2345 s, stored to the millisecond (11110.5 ms truncates).
        Assert.Equal(EngineHarness.Start.AddMilliseconds(11_110), entries[^1].At);
    }

    [Fact]
    public void The_hash_is_sha256_of_the_previous_hash_and_the_documented_netstring_form()
    {
        var entry = Log.Append(new NewAuditEntry("user:dana", "team.created", Team: "payments-risk", After: new { id = "payments-risk" }, Reason: "ünï"));

        // Written out by hand from docs/api.md, as an auditor would in any language.
        var canonical = AuditCanonical.GenesisHash + "1:1," + "24:2026-11-23T12:00:00.000Z," + "9:user:dana," + "12:team.created," +
            "13:payments-risk," + "~" + "~" + "~" + "22:{\"id\":\"payments-risk\"}," + "5:ünï,";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), entry.Hash);
        Assert.True(Log.Verify().Valid);
    }

    [Fact]
    public void Hostile_text_is_stored_exactly_as_hashed_on_every_provider()
    {
        // A NUL (PostgreSQL refuses it in text), a lone surrogate (no UTF-8 form) and a pair split by the length cap.
        var reason = "before\0after \uD800 lone " + new string('x', AuditLimits.MaxReasonChars - 50) + "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀";

        var entry = Log.Append(new NewAuditEntry("user:dana\0", AuditActions.AliasRequested, Model: "model\uDC00", Reason: reason));

        var stored = Assert.Single(Log.Read(AuditFilter.All, long.MaxValue));
        Assert.Equal(entry, stored);
        Assert.Equal("user:dana\uFFFD", stored.Actor);
        Assert.Equal("model\uFFFD", stored.SubjectModel);
        Assert.StartsWith("before\uFFFDafter \uFFFD lone ", stored.Reason);
        // 20 + 3,950 characters, then the cap (4,000 less the 29-character marker) falls inside the first rocket.
        Assert.EndsWith("x\uFFFD…[truncated: 4010 characters]", stored.Reason);
        Assert.True(Log.Verify().Valid, Log.Verify().Reason);
    }

    [Fact]
    public void The_database_refuses_to_update_or_delete_entries_or_move_the_head_back()
    {
        AppendTen();

        var update = Assert.ThrowsAny<DbException>(() => Execute("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3"));
        var delete = Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM audit_log WHERE seq = 10"));
        var head = Assert.ThrowsAny<DbException>(() => Execute("UPDATE audit_head SET seq = 5"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Contains("only moves forward", head.Message);
        Assert.True(Log.Verify().Valid);
    }

    [Fact]
    public void A_row_changed_behind_the_portals_back_is_named_by_its_sequence()
    {
        AppendTen();
        Tamper("UPDATE audit_log SET after = REPLACE(after, '1.4.0', '1.4.1') WHERE seq = 4");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Contains("Entry 4 was altered", result.Reason);
    }

    [Fact]
    public void A_truncated_tail_no_longer_matches_the_head()
    {
        AppendTen();
        Tamper("DELETE FROM audit_log WHERE seq > 7");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(8, result.FirstBadSequence);
        Assert.Contains("entries 8 to 10 were removed", result.Reason);
    }

    [Fact]
    public void An_entry_about_a_model_is_filed_under_its_owner_team()
    {
        Execute("INSERT INTO teams (id, name, created_at) VALUES ('growth-analytics', 'Growth', 1)");
        Execute("INSERT INTO models (id, name, task, team_id, features, created_at) VALUES ('churn', 'Churn', 'regression', 'growth-analytics', '[]', 1)");

        var entry = Log.Append(new NewAuditEntry("user:dana", AuditActions.VersionRegistered, Model: "churn", Version: "2.0.0"));

        Assert.Equal("growth-analytics", entry.SubjectTeam);
        Assert.Single(Log.Read(new AuditFilter(Team: "growth-analytics"), long.MaxValue));
    }

    [Fact]
    public void Pages_go_newest_first_and_filters_apply()
    {
        AppendTen();
        Log.Append(new NewAuditEntry("user:omar", AuditActions.SignedIn));

        var first = Log.Page(new AuditFilter(Actor: "user:dana"), cursor: null, limit: 4);
        var second = Log.Page(new AuditFilter(Actor: "user:dana"), first.NextCursor, limit: 4);
        var since = Log.Read(new AuditFilter(From: EngineHarness.Start.AddSeconds(5)), long.MaxValue);

        Assert.Equal([10L, 9, 8, 7], first.Entries.Select(e => e.Sequence));
        Assert.Equal([6L, 5, 4, 3], second.Entries.Select(e => e.Sequence));
        Assert.Equal([6L, 7, 8, 9, 10, 11], since.Select(e => e.Sequence));
    }

    [Fact]
    public void A_refused_change_records_nothing()
    {
        Log.Write(scope =>
        {
            scope.Record(new NewAuditEntry("user:dana", AuditActions.AliasRequested));
            scope.Rollback();
            return 0;
        });

        Assert.Equal(0, Log.HeadSequence());
        Assert.Empty(Log.Read(AuditFilter.All, long.MaxValue));
    }

    [Fact]
    public async Task An_export_carries_every_entry_and_the_chains_last_hash()
    {
        AppendTen();
        using var body = new MemoryStream();

        var manifest = await Log.ExportAsync(body, AuditFilter.All, AuditExportFormat.Jsonl);

        var lines = Encoding.UTF8.GetString(body.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, manifest.Entries);
        Assert.Equal(10, lines.Length);
        Assert.Equal(Log.Verify().LastHash, manifest.LastHash);
        Assert.StartsWith("{\"seq\":10,", lines[^1]);
        Assert.Contains(manifest.LastHash!, lines[^1]);
    }

    [Fact]
    public async Task Appends_from_two_nodes_at_once_keep_one_valid_gap_free_chain()
    {
        var nodes = new[] { new AuditLog(Connections, Clock), new AuditLog(SecondNode(), Clock) };
        const int writersPerNode = 3, appendsPerWriter = 40;
        using var start = new Barrier(nodes.Length * writersPerNode);
        var writers = nodes.SelectMany((node, n) => Enumerable.Range(0, writersPerNode).Select(w => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < appendsPerWriter; i++)
                node.Append(new NewAuditEntry($"user:node{n}-writer{w}", AuditActions.DriftSettingsChanged, "payments-risk", After: new { i }));
        }, TaskCreationOptions.LongRunning))).ToArray();

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

        const int total = 2 * writersPerNode * appendsPerWriter;
        var onA = nodes[0].Verify();
        var onB = nodes[1].Verify();
        Assert.True(onA.Valid, onA.Reason);
        Assert.Equal(total, onA.Entries);
        Assert.Equal(onA, onB);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), nodes[1].Read(AuditFilter.All, long.MaxValue).Select(e => e.Sequence));
    }
}
