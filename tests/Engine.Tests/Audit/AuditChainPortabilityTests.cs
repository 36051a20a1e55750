using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

/// <summary>A chain written on one provider and copied row by row to the other still verifies there, to the same last hash.</summary>
public sealed class AuditChainPortabilityTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(EngineHarness.Start);
    private readonly TempDatabase _sqlite = new();
    private readonly TempPostgresDatabase _postgres = new();

    public AuditChainPortabilityTests()
    {
        new MigrationRunner(_sqlite.Connections, _clock, NullLogger<MigrationRunner>.Instance).Migrate();
        _postgres.Runner(_clock).Migrate();
    }

    [Fact]
    public void A_chain_copied_from_sqlite_to_postgres_verifies_to_the_same_hash()
    {
        var source = Fill(new AuditLog(_sqlite.Connections, _clock));

        var target = Copy(source, _postgres.Connections);

        Assert.Equal(source.Verify(), target.Verify());
        Assert.True(target.Verify().Valid, target.Verify().Reason);
    }

    [Fact]
    public void A_chain_copied_from_postgres_to_sqlite_verifies_to_the_same_hash()
    {
        var source = Fill(new AuditLog(_postgres.Connections, _clock));

        var target = Copy(source, _sqlite.Connections);

        Assert.Equal(source.Verify(), target.Verify());
        Assert.True(target.Verify().Valid, target.Verify().Reason);
    }

    /// <summary>Entries with every awkward kind of text: multi-byte UTF-8, emoji, commas and colons, nulls, empty JSON.</summary>
    private AuditLog Fill(AuditLog log)
    {
        string[] texts = ["plain", "ünïcødé ✓", "🚀 rocket, with: colons", "line\nbreak", "tab\tand \"quotes\"", "日本語のテキスト"];
        for (var i = 0; i < 30; i++)
        {
            log.Append(new NewAuditEntry($"user:{texts[i % texts.Length]}", AuditActions.OwnerChanged, i % 3 == 0 ? null : "payments-risk",
                i % 2 == 0 ? "fraud-detector" : null, i % 4 == 0 ? null : $"v{i}", Before: i % 5 == 0 ? null : new { text = texts[(i + 1) % texts.Length] },
                After: new { text = texts[(i + 2) % texts.Length], n = i }, Reason: i % 3 == 1 ? texts[(i + 3) % texts.Length] : null));
            _clock.Advance(TimeSpan.FromMilliseconds(777.7));
        }
        return log;
    }

    private AuditLog Copy(AuditLog source, IConnectionFactory target)
    {
        var entries = source.Read(AuditFilter.All, long.MaxValue);
        using var connection = target.Open();
        using var transaction = target.Dialect.BeginWrite(connection);
        foreach (var e in entries)
        {
            connection.Execute("""
                INSERT INTO audit_log (seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash)
                VALUES (@Sequence, @At, @Actor, @Action, @SubjectTeam, @SubjectModel, @SubjectVersion, @Before, @After, @Reason, @PrevHash, @Hash)
                """, new { e.Sequence, At = e.At.ToUnixTimeMilliseconds(), e.Actor, e.Action, e.SubjectTeam, e.SubjectModel, e.SubjectVersion, e.Before, e.After, e.Reason, e.PrevHash, e.Hash }, transaction);
        }
        connection.Execute("UPDATE audit_head SET seq = @Sequence, hash = @Hash WHERE id = 1", new { entries[^1].Sequence, entries[^1].Hash }, transaction);
        transaction.Commit();
        return new AuditLog(target, _clock);
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _postgres.Dispose();
    }
}
