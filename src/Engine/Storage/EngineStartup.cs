using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;

namespace ModelWatch.Engine.Storage;

/// <summary>Options for the first start: an admin user and an admin API key chosen by the operator.</summary>
public sealed class BootstrapOptions
{
    public string? AdminPassword { get; set; }
    public string? AdminApiKey { get; set; }
}

/// <summary>Runs before anything touches the database: migrations, then the operator's bootstrap admin.</summary>
public sealed class EngineStartup(MigrationRunner migrations, UserStore users, ApiKeyStore keys, IOptions<BootstrapOptions> bootstrap, EngineHealth health, ILogger<EngineStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var version = migrations.Migrate();
        health.MarkMigrated();
        logger.LogInformation("Database at schema version {Version}", version);

        var options = bootstrap.Value;
        if (!string.IsNullOrEmpty(options.AdminPassword) && !users.Exists("admin"))
        {
            var created = users.Create("admin", "Administrator", Roles.Admin, options.AdminPassword, []);
            if (!created.IsOk) throw new InvalidOperationException("Portal:Bootstrap:AdminPassword is not usable: " + created.Message);
            logger.LogInformation("Created the bootstrap admin user");
        }
        if (!string.IsNullOrEmpty(options.AdminApiKey) && keys.EnsureAdminKey(options.AdminApiKey, "bootstrap-admin"))
            logger.LogInformation("Registered the bootstrap admin API key");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
