using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Tests.Storage;

public sealed class StorageOptionsValidationTests
{
    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string provider, string connectionString = "Data Source=data/portal.db") =>
        new StorageOptionsValidation().Validate(null, new StorageOptions { Provider = provider, ConnectionString = connectionString });

    [Theory]
    [InlineData("sqlite")]
    [InlineData("SQLite")]
    [InlineData("")]
    public void Sqlite_is_the_default_and_accepted_in_any_case(string provider) => Assert.True(Validate(provider).Succeeded);

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_key_and_the_choices()
    {
        var result = Validate("mysql");

        Assert.True(result.Failed);
        Assert.Contains("Portal:Storage:Provider must be 'sqlite' or 'postgres' (got 'mysql')", result.FailureMessage);
    }

    [Fact]
    public void Postgres_with_a_sqlite_connection_string_is_refused_naming_ConnectionStrings_Portal()
    {
        var result = Validate("postgres", "Data Source=data/portal.db");

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings:Portal", result.FailureMessage);
    }

    [Fact]
    public void Postgres_is_refused_honestly_while_stores_are_still_sqlite_only()
    {
        var result = Validate("postgres", "Host=db;Database=modelwatch;Username=portal");

        Assert.True(result.Failed);
        Assert.Contains("cannot run on PostgreSQL yet", result.FailureMessage);
        Assert.Contains("the audit log", result.FailureMessage);
        Assert.Contains("RegistryStore", result.FailureMessage);
        Assert.Contains("IngestionWriter", result.FailureMessage);
    }
}
