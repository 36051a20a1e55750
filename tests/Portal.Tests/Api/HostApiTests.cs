using System.Net;
using Microsoft.Extensions.Options;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class HostApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Healthz_answers_200_once_the_database_is_migrated_and_the_writer_is_up()
    {
        using var anonymous = portal.WithKey(null);

        var health = await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/healthz"));

        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.True(portal.Scalar("SELECT MAX(version) FROM schema_version") >= 1);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_v1_path()
    {
        using var anonymous = portal.WithKey(null);

        var document = await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/openapi/v1.json"));

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
        {
            "/api/v1/teams", "/api/v1/teams/{id}/keys", "/api/v1/keys/{keyId}", "/api/v1/models", "/api/v1/models/{id}",
            "/api/v1/models/{id}/versions", "/api/v1/models/{id}/versions/{version}/reference",
            "/api/v1/models/{id}/predictions", "/api/v1/models/{id}/labels", "/api/v1/models/{id}/metrics",
        })
            Assert.Contains(path, paths);
        var operations = document.GetProperty("paths").GetProperty("/api/v1/models/{id}/predictions");
        Assert.True(operations.TryGetProperty("post", out _));
    }

    [Fact]
    public void The_bootstrap_admin_user_and_key_exist_and_the_demo_is_off()
    {
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM users WHERE username = 'admin' AND role = 'Admin'"));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM api_keys WHERE team_id IS NULL AND name = 'bootstrap-admin'"));
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM users WHERE username IN ('dana', 'omar', 'alice')"));
    }

    [Fact]
    public async Task An_unknown_api_path_is_404_not_a_sign_in_page()
    {
        using var admin = portal.Admin();

        var response = await admin.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void An_invalid_ingestion_limit_stops_start_up_with_a_message()
    {
        using var broken = PortalFactory.With(new Dictionary<string, string?> { ["Portal:Ingestion:MaxEventsPerBatch"] = "0" });

        var failure = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        var validation = Chain(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, "expected an options validation failure, got: " + failure);
        Assert.Contains("MaxEventsPerBatch", validation.Message);
    }

    [Fact]
    public void Starting_on_postgres_is_refused_until_every_store_has_moved_and_the_message_says_which()
    {
        using var postgres = PortalFactory.With(new Dictionary<string, string?>
        {
            ["Portal:Storage:Provider"] = "postgres",
            ["ConnectionStrings:Portal"] = "Host=127.0.0.1;Database=modelwatch;Username=portal",
        });

        var failure = Assert.ThrowsAny<Exception>(() => postgres.CreateClient());

        var validation = Chain(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, "expected an options validation failure, got: " + failure);
        Assert.Contains("Portal:Storage:Provider is postgres, but the portal cannot run on PostgreSQL yet", validation.Message);
        Assert.Contains("Still SQLite-only", validation.Message);
        Assert.Contains("Set Portal:Storage:Provider to sqlite", validation.Message);
    }

    [Fact]
    public async Task Starting_twice_on_the_same_file_keeps_one_admin_and_one_bootstrap_key()
    {
        var first = PortalFactory.With();
        first.KeepDatabase = true;
        first.CreateClient().Dispose();
        await first.DisposeAsync();

        await using var second = PortalFactory.With(databasePath: first.DatabasePath);
        using var admin = second.Admin();
        await Expect(HttpStatusCode.OK, await admin.GetAsync("/api/v1/models"));

        Assert.Equal(1, second.Scalar("SELECT COUNT(*) FROM users WHERE username = 'admin'"));
        Assert.Equal(1, second.Scalar("SELECT COUNT(*) FROM api_keys WHERE team_id IS NULL"));
        Assert.Equal(1, second.Scalar("SELECT COUNT(*) FROM schema_version WHERE version = 1"));
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } one ? [one] : [];
        foreach (var child in inner)
            foreach (var x in Chain(child)) yield return x;
    }
}
