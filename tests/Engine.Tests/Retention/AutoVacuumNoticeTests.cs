using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.Demo;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Retention;

/// <summary>An older database cannot give pages back until an operator runs VACUUM: the pruner says so once, and never does it by itself.</summary>
public sealed class AutoVacuumNoticeTests
{
    private static (CapturingLogger Log, long AutoVacuum) PruneTwice(bool madeByAnOlderBuild)
    {
        using var database = new TempDatabase();
        if (madeByAnOlderBuild)
            using (var connection = database.OpenRaw()) connection.Execute("CREATE TABLE made_by_an_older_build (x INTEGER)");
        var clock = new FakeTimeProvider(EngineHarness.Start);
        new MigrationRunner(database.Connections, clock, NullLogger<MigrationRunner>.Instance).Migrate();
        var log = new CapturingLogger();
        var pruner = new RawPruner(database.Connections, new RetentionOptions(), clock, log);

        pruner.Prune(Watermark.Zero, _ => true);
        pruner.Prune(Watermark.Zero, _ => true);

        return (log, database.Scalar("PRAGMA auto_vacuum"));
    }

    [Fact]
    public void A_database_made_without_auto_vacuum_gets_one_warning_naming_the_one_off_VACUUM_and_keeps_its_mode()
    {
        var (log, autoVacuum) = PruneTwice(madeByAnOlderBuild: true);

        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("PRAGMA auto_vacuum=INCREMENTAL; VACUUM;", warning.Message);
        Assert.Equal(0, autoVacuum); // nothing switched it behind the operator's back
    }

    [Fact]
    public void A_new_database_prunes_without_a_warning()
    {
        var (log, autoVacuum) = PruneTwice(madeByAnOlderBuild: false);

        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(2, autoVacuum);
    }
}
