using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Access;

public sealed class ApiKeyStoreTests : IAsyncLifetime
{
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineHarness.StartAsync(startWriter: false);
        _engine.Registry.CreateTeam(new ModelWatch.Engine.Registry.NewTeam("payments-risk", "Payments Risk"));
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private ApiKeyStore Keys => _engine.Keys;

    [Fact]
    public void An_issued_team_key_authenticates_as_its_team()
    {
        var issued = Keys.Create("payments-risk", "fraud-service", "user:lead");

        var identity = Keys.Authenticate(issued.Key);

        Assert.Equal(new ApiKeyIdentity(issued.Id, "fraud-service", "payments-risk", "user:lead"), identity);
        Assert.False(identity!.IsAdmin);
        Assert.Equal(identity, Keys.Find(issued.Id));
    }

    [Fact]
    public void Only_a_hash_of_the_key_is_stored()
    {
        var issued = Keys.Create("payments-risk", "fraud-service", "user:lead");

        using var connection = _engine.Database.OpenRaw();
        var stored = connection.Query<(string Id, string? TeamId, string Name, byte[] Hash)>("SELECT id, team_id, name, key_hash FROM api_keys").Single();
        Assert.Equal(32, stored.Hash.Length);
        Assert.DoesNotContain(issued.Key, System.Text.Encoding.UTF8.GetString(stored.Hash));
        Assert.DoesNotContain(issued.Key, File.ReadAllText(_engine.Database.Path + "-wal", System.Text.Encoding.Latin1) + File.ReadAllText(_engine.Database.Path, System.Text.Encoding.Latin1));
    }

    [Fact]
    public void Unknown_empty_and_overlong_keys_do_not_authenticate()
    {
        Keys.Create("payments-risk", "fraud-service", "user:lead");

        Assert.Null(Keys.Authenticate("mwk_not-a-key"));
        Assert.Null(Keys.Authenticate(""));
        Assert.Null(Keys.Authenticate(null));
        Assert.Null(Keys.Authenticate(new string('x', 300)));
    }

    [Fact]
    public void A_revoked_key_stops_working_at_once_even_after_it_was_used()
    {
        var issued = Keys.Create("payments-risk", "fraud-service", "user:lead");
        Assert.NotNull(Keys.Authenticate(issued.Key)); // now cached

        Assert.True(Keys.RevokeKey(issued.Id));

        Assert.Null(Keys.Authenticate(issued.Key));
        Assert.False(Keys.RevokeKey(issued.Id)); // a second revocation reports nothing changed
    }

    [Fact]
    public void A_lookup_that_read_the_key_before_a_revocation_does_not_cache_it_after()
    {
        var issued = Keys.Create("payments-risk", "fraud-service", "user:lead");
        // Forces the interleaving: the revocation lands between the lookup's read and its caching.
        Keys.AfterRowRead = () =>
        {
            Keys.AfterRowRead = null;
            Assert.True(Keys.RevokeKey(issued.Id));
        };

        Assert.NotNull(Keys.Authenticate(issued.Key)); // the in-flight request read the key while it was valid

        Assert.Null(Keys.Authenticate(issued.Key));
    }

    [Fact]
    public void Revoking_one_key_leaves_the_teams_other_keys_working()
    {
        var first = Keys.Create("payments-risk", "fraud-service", "user:lead");
        var second = Keys.Create("payments-risk", "batch-scorer", "user:lead");

        Keys.RevokeKey(first.Id);

        Assert.NotNull(Keys.Authenticate(second.Key));
    }

    [Fact]
    public void Revoking_an_unknown_key_reports_nothing_changed()
    {
        Assert.False(Keys.RevokeKey("key_0000000000000000"));
    }

    [Fact]
    public void The_bootstrap_admin_key_is_registered_once_with_exactly_the_chosen_value()
    {
        Assert.True(Keys.EnsureAdminKey("operator-chosen-secret-value", "bootstrap-admin"));
        Assert.False(Keys.EnsureAdminKey("operator-chosen-secret-value", "bootstrap-admin"));

        var identity = Keys.Authenticate("operator-chosen-secret-value");
        Assert.NotNull(identity);
        Assert.True(identity.IsAdmin);
        Assert.Equal(1, _engine.Database.Count("api_keys"));
    }

    [Fact]
    public void Two_issued_keys_are_different()
    {
        var a = Keys.Create("payments-risk", "a", "user:lead");
        var b = Keys.Create("payments-risk", "b", "user:lead");

        Assert.NotEqual(a.Key, b.Key);
        Assert.NotEqual(a.Id, b.Id);
        Assert.True(a.Key.Length >= 40);
    }
}
