using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Demo;

/// <summary>What one seeding run created; all zero when the database already had the demo.</summary>
public sealed record DemoSeedReport(int Teams, int Users, int Models, int Versions, int References)
{
    public bool CreatedNothing => Teams + Users + Models + Versions + References == 0;
}

/// <summary>
/// Creates the demo teams, users, models, versions and reference baselines that are missing, and leaves existing
/// rows alone, so that starting again on the same database changes nothing. Baselines go through ingestion.
/// </summary>
public sealed class DemoSeeder(RegistryStore registry, UserStore users, IngestionService ingestion, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public async Task<DemoSeedReport> SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        int teams = 0, created = 0, models = 0, versions = 0, references = 0;
        foreach (var team in DemoCatalog.Teams)
        {
            if (registry.FindTeam(team.Id) is not null) continue;
            Require(registry.CreateTeam(new NewTeam(team.Id, team.Name)), $"team {team.Id}");
            teams++;
        }

        foreach (var user in DemoCatalog.Users)
        {
            // An admin made by Portal:Bootstrap:AdminPassword (or by anyone) keeps its password.
            if (users.Exists(user.Username)) continue;
            Require(users.Create(user.Username, user.DisplayName, user.Role, options.EffectivePassword, user.Teams), $"user {user.Username}");
            created++;
        }

        for (var m = 0; m < DemoCatalog.Models.Count; m++)
        {
            var demo = DemoCatalog.Models[m];
            var model = registry.FindModel(demo.Id);
            if (model is null)
            {
                model = Require(registry.CreateModel(demo.ToRequest()), $"model {demo.Id}");
                models++;
            }
            else if (model.Task.ToName() != demo.Task)
            {
                logger.LogWarning("Model {Model} exists as a {Task} model, not the demo's {DemoTask}; the demo leaves it alone", demo.Id, model.Task.ToName(), demo.Task);
                continue;
            }

            var existing = registry.ListVersions(model).ToDictionary(v => v.Version, v => v.ReferenceRows, StringComparer.Ordinal);
            for (var v = 0; v < demo.Versions.Count; v++)
            {
                var version = demo.Versions[v];
                if (!existing.TryGetValue(version.Version, out var referenceRows))
                {
                    Require(registry.CreateVersion(demo.Id, version.ToRequest(), version.CreatedBy), $"version {demo.Id} {version.Version}");
                    versions++;
                    referenceRows = 0;
                }
                if (referenceRows > 0) continue;
                model = registry.FindModel(demo.Id)!;
                var random = new Random(options.Seed + 1_000 * (m + 1) + v);
                var latest = version.Version == DemoCatalog.LatestVersion;
                var body = DemoBodies.Reference(Enumerable.Range(0, DemoCatalog.ReferenceRows).Select(_ => demo.Generator.Draw(random, latest, DemoConditions.Normal)));
                var result = await DemoDelivery.SendAsync(ct => ingestion.UploadReferenceAsync(model, version.Version, body, ct), $"reference of {demo.Id} {version.Version}", clock, logger, cancellationToken).ConfigureAwait(false);
                if (result.Status == IngestStatus.Stored) references++;
            }
        }

        var report = new DemoSeedReport(teams, created, models, versions, references);
        if (report.CreatedNothing) logger.LogInformation("Demo data already present; nothing seeded");
        else logger.LogInformation("Seeded demo data: {Teams} teams, {Users} users, {Models} models, {Versions} versions, {References} reference baselines", teams, created, models, versions, references);
        return report;
    }

    private static T Require<T>(Outcome<T> outcome, string what) =>
        outcome.IsOk ? outcome.Value! : throw new InvalidOperationException($"The demo could not create {what}: {outcome.Message} {string.Join("; ", outcome.Errors.Select(e => e.Reason))}");
}
