using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

public sealed class AuditLogTests : AuditLogOnFakeClock
{
    private void AppendTen()
    {
        for (var i = 1; i <= 10; i++)
        {
            Log.Append(new NewAuditEntry("user:dana", AuditActions.VersionRegistered, "payments-risk", "fraud-detector", $"1.{i}.0",
                Before: i == 1 ? null : new { version = $"1.{i - 1}.0" }, After: new { version = $"1.{i}.0", note = "ünïcødé ✓, \"quoted\"" }, Reason: i % 2 == 0 ? "retrained" : null));
            Clock.Advance(TimeSpan.FromSeconds(1.2345));
        }
    }

    /// <summary>An attacker with the file: drops the triggers and changes rows directly.</summary>
    private void Tamper(string sql)
    {
        using var connection = Database.OpenRaw();
        connection.Execute("DROP TRIGGER audit_log_refuses_update; DROP TRIGGER audit_log_refuses_delete; DROP TRIGGER audit_head_only_moves_forward;");
        connection.Execute(sql);
    }

    [Fact]
    public void An_empty_log_verifies_with_the_genesis_hash()
    {
        var result = Log.Verify();

        Assert.True(result.Valid);
        Assert.Equal(0, result.Entries);
        Assert.Equal(AuditCanonical.GenesisHash, result.LastHash);
    }

    [Fact]
    public void Appended_entries_form_a_chain_that_verifies()
    {
        AppendTen();

        var result = Log.Verify();

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(10, result.Entries);
        var entries = Log.Read(AuditFilter.All, long.MaxValue).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditCanonical.GenesisHash, entries[0].PrevHash);
        for (var i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].Hash, entries[i].PrevHash);
        Assert.Equal(entries[^1].Hash, result.LastHash);
    }

    [Fact]
    public void The_hash_is_sha256_of_the_previous_hash_and_the_documented_netstring_form()
    {
        var entry = Log.Append(new NewAuditEntry("user:dana", "team.created", Team: "payments-risk", After: new { id = "payments-risk" }, Reason: "ünï"));

        // Written out by hand from docs/api.md, as an auditor would in any language.
        var canonical = AuditCanonical.GenesisHash + "1:1," + "24:2026-11-23T12:00:00.000Z," + "9:user:dana," + "12:team.created," +
            "13:payments-risk," + "~" + "~" + "~" + "22:{\"id\":\"payments-risk\"}," + "5:ünï,";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, entry.Hash);
    }

    [Fact]
    public void The_database_refuses_to_update_or_delete_audit_entries()
    {
        AppendTen();
        using var connection = Database.OpenRaw();

        var update = Assert.Throws<SqliteException>(() => connection.Execute("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3"));
        var delete = Assert.Throws<SqliteException>(() => connection.Execute("DELETE FROM audit_log WHERE seq = 10"));
        var head = Assert.Throws<SqliteException>(() => connection.Execute("UPDATE audit_head SET seq = 5"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Contains("only moves forward", head.Message);
        Assert.True(Log.Verify().Valid);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 4", 4L, "altered")]
    [InlineData("UPDATE audit_log SET reason = NULL WHERE seq = 6", 6L, "altered")]
    [InlineData("UPDATE audit_log SET at = at - 1 WHERE seq = 7", 7L, "altered")]
    [InlineData("UPDATE audit_log SET after = '{\"version\":\"9.9.9\"}' WHERE seq = 2", 2L, "altered")]
    public void Verify_finds_an_edited_entry(string edit, long firstBad, string reason)
    {
        AppendTen();
        Tamper(edit);

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(firstBad, result.FirstBadSequence);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public void Verify_finds_an_edit_whose_hash_was_recomputed_at_the_next_entry()
    {
        AppendTen();
        var fifth = Log.Read(AuditFilter.All, 5).Last();
        var forged = AuditCanonical.Hash(fifth.PrevHash, 5, fifth.At, "user:mallory", fifth.Action, fifth.SubjectTeam, fifth.SubjectModel, fifth.SubjectVersion, fifth.Before, fifth.After, fifth.Reason);
        Tamper($"UPDATE audit_log SET actor = 'user:mallory', hash = '{forged}' WHERE seq = 5");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(6, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_finds_a_deleted_entry()
    {
        AppendTen();
        Tamper("DELETE FROM audit_log WHERE seq = 5");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("missing", result.Reason);
    }

    [Fact]
    public void Verify_finds_reordered_entries()
    {
        AppendTen();
        // Swap the whole content (hashes included) of entries 3 and 4, keeping their sequence numbers.
        Tamper("""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE seq IN (3, 4);
            UPDATE audit_log SET (at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash) =
                (SELECT at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash FROM swap s WHERE s.seq = 7 - audit_log.seq)
            WHERE seq IN (3, 4);
            """);

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_finds_a_truncated_tail()
    {
        AppendTen();
        Tamper("DELETE FROM audit_log WHERE seq > 7");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(8, result.FirstBadSequence);
        Assert.Contains("removed", result.Reason);
    }

    [Fact]
    public void Verify_finds_an_entry_slipped_in_at_the_end()
    {
        AppendTen();
        var last = Log.Read(AuditFilter.All, long.MaxValue).Last();
        var hash = AuditCanonical.Hash(last.Hash, 11, last.At, "user:mallory", "team.created", null, null, null, null, null, null);
        Tamper($"INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES (11, {last.At.ToUnixTimeMilliseconds()}, 'user:mallory', 'team.created', '{last.Hash}', '{hash}')");

        var result = Log.Verify();

        Assert.False(result.Valid);
        Assert.Equal(11, result.FirstBadSequence);
    }

    [Fact]
    public void A_change_and_its_entry_are_committed_together_or_not_at_all()
    {
        Assert.Throws<InvalidOperationException>(() => Log.Write<int>(scope =>
        {
            scope.Record(new NewAuditEntry("user:dana", "team.created", Team: "x"));
            throw new InvalidOperationException("the change failed");
        }));
        Log.Write(scope => { scope.Record(new NewAuditEntry("user:dana", "team.created", Team: "y")); scope.Rollback(); return 0; });

        Assert.Equal(0, Database.Count("audit_log"));
        Assert.True(Log.Verify().Valid);
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 25; i++) Log.Append(new NewAuditEntry($"key:k{t}", "access.denied", Reason: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        })));

        var result = Log.Verify();

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(100, result.Entries);
    }

    [Fact]
    public void Pages_run_newest_first_with_a_cursor_and_filters()
    {
        AppendTen();
        Log.Append(new NewAuditEntry("user:omar", AuditActions.TeamCreated, Team: "ops"));

        var first = Log.Page(new AuditFilter(Model: "fraud-detector"), cursor: null, limit: 4);
        var second = Log.Page(new AuditFilter(Model: "fraud-detector"), first.NextCursor, limit: 4);
        var third = Log.Page(new AuditFilter(Model: "fraud-detector"), second.NextCursor, limit: 4);
        var byActor = Log.Page(new AuditFilter(Actor: "user:omar"), null, 50);
        var byTime = Log.Page(new AuditFilter(From: EngineHarness.Start.AddSeconds(2), To: EngineHarness.Start.AddSeconds(5)), null, 50);

        Assert.Equal([10L, 9, 8, 7], first.Entries.Select(e => e.Sequence));
        Assert.Equal([6L, 5, 4, 3], second.Entries.Select(e => e.Sequence));
        Assert.Equal([2L, 1], third.Entries.Select(e => e.Sequence));
        Assert.Null(third.NextCursor);
        Assert.Equal(11, Assert.Single(byActor.Entries).Sequence);
        Assert.Equal([5L, 4, 3], byTime.Entries.Select(e => e.Sequence));
    }

}
