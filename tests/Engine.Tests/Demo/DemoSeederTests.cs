using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Demo;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Tests.Demo;

public class DemoSeederTests
{
    [Fact]
    public async Task Seeding_creates_three_teams_four_models_and_the_demo_users()
    {
        await using var engine = new DemoEngine();

        var report = await engine.Seeder().SeedAsync(new DemoOptions(), CancellationToken.None);

        Assert.Equal(new DemoSeedReport(Teams: 3, Users: 4, Models: 4, Versions: 8, References: 8), report);
        Assert.Equal(["growth-analytics", "operations", "payments-risk"], engine.Registry.ListTeams().Select(t => t.Id));
        var models = engine.Registry.ListModels();
        Assert.Equal(["churn-predictor", "demand-forecast", "fraud-detector", "ticket-router"], models.Select(m => m.Id));
        foreach (var model in models)
        {
            Assert.InRange(model.Features.Count, 5, 10);
            Assert.NotNull(model.LatencySloMs);
            Assert.NotNull(model.MonthlyBudgetUsd);
            var versions = engine.Registry.ListVersions(model);
            Assert.Equal(["1.0.0", "1.1.0"], versions.Select(v => v.Version));
            Assert.All(versions, v => Assert.Equal(DemoCatalog.ReferenceRows, v.ReferenceRows));
            Assert.All(versions, v => Assert.NotEqual("{}", v.MetricsJson));
        }
        Assert.Equal(ModelTask.MulticlassClassification, engine.Registry.FindModel("ticket-router")!.Task);
        Assert.Equal(ModelTask.Regression, engine.Registry.FindModel("demand-forecast")!.Task);
        Assert.Equal("payments-risk", engine.Registry.FindModel("fraud-detector")!.TeamId);

        var dana = engine.Users.Find("dana")!;
        Assert.Equal(Roles.DataScientist, dana.Role);
        Assert.Equal([new TeamMembership("growth-analytics", "lead"), new TeamMembership("payments-risk", "member")], dana.Teams);
        var omar = engine.Users.Find("omar")!;
        Assert.Equal(Roles.OpsEngineer, omar.Role);
        Assert.Equal([new TeamMembership("operations", "lead"), new TeamMembership("payments-risk", "member")], omar.Teams);
        var alice = engine.Users.Find("alice")!;
        Assert.Equal(Roles.Auditor, alice.Role);
        Assert.Empty(alice.Teams);
        Assert.Equal(Roles.Admin, engine.Users.Find("admin")!.Role);
        Assert.Equal(SignInStatus.Succeeded, engine.Users.CheckPassword("dana", DemoOptions.DefaultPassword).Status);
    }

    [Fact]
    public async Task Seeding_again_on_the_same_database_changes_nothing()
    {
        await using var engine = new DemoEngine();
        await engine.Seeder().SeedAsync(new DemoOptions(), CancellationToken.None);
        var referenceRows = engine.Registry.ListModels().SelectMany(engine.Registry.ListVersions).Sum(v => v.ReferenceRows);

        var second = await engine.Seeder().SeedAsync(new DemoOptions { Password = "another-password" }, CancellationToken.None);

        Assert.True(second.CreatedNothing);
        Assert.Equal(3, engine.Registry.ListTeams().Count);
        Assert.Equal(4, engine.Registry.ListModels().Count);
        Assert.Equal(referenceRows, engine.Registry.ListModels().SelectMany(engine.Registry.ListVersions).Sum(v => v.ReferenceRows));
        Assert.Equal(SignInStatus.Succeeded, engine.Users.CheckPassword("omar", DemoOptions.DefaultPassword).Status);
    }

    [Fact]
    public async Task An_admin_created_by_bootstrap_keeps_its_password()
    {
        await using var engine = new DemoEngine();
        engine.Users.Create("admin", "Administrator", Roles.Admin, "bootstrap-secret", []);

        var report = await engine.Seeder().SeedAsync(new DemoOptions(), CancellationToken.None);

        Assert.Equal(3, report.Users);
        Assert.Equal(SignInStatus.Succeeded, engine.Users.CheckPassword("admin", "bootstrap-secret").Status);
        Assert.Equal(SignInStatus.Failed, engine.Users.CheckPassword("admin", DemoOptions.DefaultPassword).Status);
    }

    [Fact]
    public async Task The_password_option_replaces_the_documented_demo_password()
    {
        await using var engine = new DemoEngine();

        await engine.Seeder().SeedAsync(new DemoOptions { Password = "correct-horse-battery" }, CancellationToken.None);

        Assert.Equal(SignInStatus.Succeeded, engine.Users.CheckPassword("alice", "correct-horse-battery").Status);
        Assert.Equal(SignInStatus.Failed, engine.Users.CheckPassword("alice", DemoOptions.DefaultPassword).Status);
    }

    [Fact]
    public async Task A_disabled_demo_seeds_nothing_and_sends_nothing()
    {
        await using var engine = new DemoEngine();
        var traffic = new DemoTraffic(Options.Create(new DemoOptions { Enabled = false }), engine.Seeder(), engine.Registry, engine.Ingestion, engine.Health, engine.Clock, NullLogger<DemoTraffic>.Instance);

        await traffic.StartAsync(CancellationToken.None);
        await traffic.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        await traffic.StopAsync(CancellationToken.None);

        Assert.Empty(engine.Registry.ListTeams());
        Assert.Empty(engine.Registry.ListModels());
        Assert.False(engine.Users.Exists("dana"));
    }

    [Fact]
    public async Task The_traffic_service_seeds_once_the_engine_is_ready_and_stops_cleanly()
    {
        await using var engine = new DemoEngine();
        var traffic = new DemoTraffic(Options.Create(new DemoOptions()), engine.Seeder(), engine.Registry, engine.Ingestion, engine.Health, engine.Clock, NullLogger<DemoTraffic>.Instance);

        await traffic.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (engine.Registry.ListModels().Count < 4 || engine.Registry.ListVersions(engine.Registry.FindModel("ticket-router")!).Any(v => v.ReferenceRows == 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the demo was not seeded within 30 s");
            await Task.Delay(50);
        }
        await traffic.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(traffic.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData("short", 0.35, 1, 4, 20)]
    [InlineData(null, 1.5, 1, 4, 20)]
    [InlineData(null, 0.35, 5, 4, 20)]
    [InlineData(null, 0.35, 1, 4, 0)]
    public void Bad_options_are_refused_with_a_message(string? password, double labelShare, int delayMinMinutes, int delayMaxMinutes, int cycleMinutes)
    {
        var options = new DemoOptions
        {
            Password = password,
            LabelShare = labelShare,
            LabelDelayMin = TimeSpan.FromMinutes(delayMinMinutes),
            LabelDelayMax = TimeSpan.FromMinutes(delayMaxMinutes),
            EpisodeCycle = TimeSpan.FromMinutes(cycleMinutes),
        };

        var results = Validate(options);

        var problem = Assert.Single(results);
        Assert.False(string.IsNullOrWhiteSpace(problem.ErrorMessage));
        Assert.NotEmpty(problem.MemberNames);
    }

    [Fact]
    public void The_default_options_are_valid()
    {
        Assert.Empty(Validate(new DemoOptions()));
    }

    // What ValidateDataAnnotations() runs at start-up.
    private static List<ValidationResult> Validate(DemoOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
