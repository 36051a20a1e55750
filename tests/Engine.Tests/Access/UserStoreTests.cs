using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Access;

public sealed class UserStoreTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineHarness.StartAsync(startWriter: false);
        _engine.Registry.CreateTeam(new NewTeam("payments-risk", "Payments Risk"));
        _engine.Registry.CreateTeam(new NewTeam("growth", "Growth"));
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private UserStore Users => _engine.Users;

    private PortalUser Dana() => Users.Create("dana", "Dana Scientist", Roles.DataScientist, Password,
        [new TeamMembership("payments-risk", "lead"), new TeamMembership("growth", "member")]).Value!;

    [Fact]
    public void A_user_round_trips_with_role_and_team_memberships()
    {
        var created = Dana();

        var found = Users.Find("dana")!;
        Assert.Equal(created, found with { Teams = created.Teams });
        Assert.Equal("Dana Scientist", found.DisplayName);
        Assert.Equal(Roles.DataScientist, found.Role);
        Assert.Equal([new TeamMembership("growth", "member"), new TeamMembership("payments-risk", "lead")], found.Teams);
        var caller = Caller.ForUser(found);
        Assert.True(caller.CanManageTeam("payments-risk"));
        Assert.False(caller.CanManageTeam("growth"));
    }

    [Fact]
    public void The_password_is_stored_hashed()
    {
        Dana();

        var stored = _engine.Database.Scalar("SELECT COUNT(*) FROM users WHERE password_hash LIKE '%' || @Password || '%'", new { Password });

        Assert.Equal(0, stored);
    }

    [Fact]
    public void A_second_user_with_the_same_name_in_any_case_is_a_conflict()
    {
        Dana();

        Assert.Equal(OutcomeKind.Conflict, Users.Create("dana", "Again", Roles.Auditor, Password, []).Kind);
        Assert.Equal(OutcomeKind.Conflict, Users.Create("DANA", "Again", Roles.Auditor, Password, []).Kind);
        Assert.Equal(1, _engine.Database.Count("users"));
    }

    [Theory]
    [InlineData("dana", "Dana", "Superuser", Password, "role")]
    [InlineData("", "Nobody", Roles.Auditor, Password, "username")]
    [InlineData("dana", "Dana", Roles.Auditor, "short", "password")]
    public void Invalid_users_are_refused_naming_the_field(string username, string display, string role, string password, string field)
    {
        var refused = Users.Create(username, display, role, password, []);

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Equal(field, Assert.Single(refused.Errors).Field);
        Assert.Equal(0, _engine.Database.Count("users"));
    }

    [Fact]
    public void The_right_password_signs_in_and_a_wrong_one_does_not()
    {
        Dana();

        Assert.Equal(SignInStatus.Succeeded, Users.CheckPassword("dana", Password).Status);
        Assert.Equal("dana", Users.CheckPassword("dana", Password).User!.Username);
        Assert.Equal(SignInStatus.Failed, Users.CheckPassword("dana", "wrong password").Status);
        Assert.Equal(SignInStatus.Failed, Users.CheckPassword("nobody", Password).Status);
    }

    [Fact]
    public void Five_wrong_passwords_lock_the_account_even_against_the_right_one_until_the_lockout_ends()
    {
        Dana();

        for (var i = 1; i < UserStore.MaxFailedSignIns; i++)
            Assert.Equal(SignInStatus.Failed, Users.CheckPassword("dana", "wrong " + i).Status);
        var fifth = Users.CheckPassword("dana", "wrong 5");

        Assert.Equal(SignInStatus.LockedOut, fifth.Status);
        Assert.Equal(EngineHarness.Start + UserStore.LockoutDuration, fifth.LockedUntil);
        Assert.Equal(SignInStatus.LockedOut, Users.CheckPassword("dana", Password).Status);

        _engine.Clock.Advance(UserStore.LockoutDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(SignInStatus.LockedOut, Users.CheckPassword("dana", Password).Status);

        _engine.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SignInStatus.Succeeded, Users.CheckPassword("dana", Password).Status);
    }

    [Fact]
    public void A_successful_sign_in_resets_the_failure_count()
    {
        Dana();
        for (var i = 1; i < UserStore.MaxFailedSignIns; i++) Users.CheckPassword("dana", "wrong");

        Assert.Equal(SignInStatus.Succeeded, Users.CheckPassword("dana", Password).Status);

        for (var i = 1; i < UserStore.MaxFailedSignIns; i++)
            Assert.Equal(SignInStatus.Failed, Users.CheckPassword("dana", "wrong").Status);
    }

    [Fact]
    public void Thirty_parallel_wrong_passwords_evaluate_only_the_allowed_number_and_lock_the_account()
    {
        Dana();
        using var start = new Barrier(30);
        var results = new SignInResult[30];
        var threads = Enumerable.Range(0, 30).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = Users.CheckPassword("dana", "wrong " + i, "10.9.0.1");
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        // An evaluated attempt below the limit answers Failed; the one that reaches it locks; every other is refused unevaluated.
        Assert.Equal(UserStore.MaxFailedSignIns - 1, results.Count(r => r.Status == SignInStatus.Failed));
        Assert.Equal(30 - (UserStore.MaxFailedSignIns - 1), results.Count(r => r.Status == SignInStatus.LockedOut));
        Assert.Equal(SignInStatus.LockedOut, Users.CheckPassword("dana", Password, "10.9.0.1").Status);
        Assert.Equal(SignInStatus.Succeeded, Users.CheckPassword("dana", Password, "10.9.0.2").Status);
    }

    [Fact]
    public void A_session_ends_at_its_absolute_lifetime_however_often_it_is_checked_and_sign_out_ends_it_at_once()
    {
        var dana = Dana();
        var sessions = new SessionStore(_engine.Database.Connections, _engine.Clock);
        var capped = sessions.Start(dana, TimeSpan.FromHours(24));
        var signedOut = sessions.Start(dana, TimeSpan.FromHours(24));

        for (var hour = 0; hour < 23; hour++)
        {
            _engine.Clock.Advance(TimeSpan.FromHours(1)); // a user active every hour keeps renewing the sliding cookie
            Assert.True(sessions.IsActive(capped, "dana"));
        }
        sessions.End(signedOut);
        Assert.False(sessions.IsActive(signedOut, "dana"));
        Assert.False(sessions.IsActive(capped, "alice"));

        _engine.Clock.Advance(TimeSpan.FromHours(1));
        Assert.False(sessions.IsActive(capped, "dana"));
    }
}
