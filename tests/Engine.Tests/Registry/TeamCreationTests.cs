using System.Text.Json;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Registry;

public sealed class TeamCreationTests : IAsyncLifetime
{
    private static readonly Caller Admin = new("user:admin", Roles.Admin, new HashSet<string>(), new HashSet<string>());
    private static readonly Caller Lead = new("user:dana", Roles.DataScientist, new HashSet<string> { "growth" }, new HashSet<string> { "growth" });

    private EngineHarness _engine = null!;
    private AuditLog _audit = null!;
    private TeamCreation _teams = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineHarness.StartAsync(startWriter: false);
        _audit = new AuditLog(_engine.Database.Connections, _engine.Clock);
        _teams = new TeamCreation(_engine.Registry, _audit);
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private IReadOnlyList<AuditEntry> Entries() => _audit.Read(new AuditFilter(Action: AuditActions.TeamCreated), _audit.HeadSequence());

    [Fact]
    public void An_admin_creates_a_team_and_exactly_one_entry_records_it()
    {
        var created = _teams.Create(new NewTeam("fraud-ops", " Fraud operations "), Admin);

        Assert.True(created.IsOk);
        Assert.Equal("Fraud operations", _engine.Registry.FindTeam("fraud-ops")!.Name);
        var entry = Assert.Single(Entries());
        Assert.Equal(("user:admin", "fraud-ops"), (entry.Actor, entry.SubjectTeam));
        using var after = JsonDocument.Parse(entry.After!);
        Assert.Equal("fraud-ops", after.RootElement.GetProperty("id").GetString());
        Assert.Equal("Fraud operations", after.RootElement.GetProperty("name").GetString());
        Assert.True(_audit.Verify().Valid);
    }

    [Fact]
    public void Two_teams_make_two_entries_one_each()
    {
        _teams.Create(new NewTeam("fraud-ops", "Fraud operations"), Admin);
        _teams.Create(new NewTeam("growth", "Growth"), Admin);

        Assert.Equal(["fraud-ops", "growth"], Entries().Select(e => e.SubjectTeam).Order());
    }

    [Fact]
    public void A_non_admin_is_refused_and_nothing_is_stored_or_recorded()
    {
        var refused = _teams.Create(new NewTeam("fraud-ops", "Fraud operations"), Lead);

        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
        Assert.Null(_engine.Registry.FindTeam("fraud-ops"));
        Assert.Empty(Entries());
    }

    [Fact]
    public void A_duplicate_or_invalid_team_records_no_entry()
    {
        _teams.Create(new NewTeam("fraud-ops", "Fraud operations"), Admin);

        Assert.Equal(OutcomeKind.Conflict, _teams.Create(new NewTeam("fraud-ops", "Again"), Admin).Kind);
        Assert.Equal(OutcomeKind.Invalid, _teams.Create(new NewTeam("Not A Slug", ""), Admin).Kind);

        Assert.Single(Entries());
        Assert.Equal(1, _audit.HeadSequence());
    }
}
