using Microsoft.Extensions.Options;
using Npgsql;

namespace ModelWatch.Engine.Storage;

/// <summary>Checks the provider and its connection string together, naming the configuration keys a person has to change.</summary>
public sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var provider = StorageProviders.Parse(options.Provider);
        if (provider is null)
            return ValidateOptionsResult.Fail($"{StorageProviders.Key} must be 'sqlite' or 'postgres' (got '{options.Provider}').");
        if (provider == StorageProvider.Sqlite) return ValidateOptionsResult.Success;

        try
        {
            if (string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(options.ConnectionString).Host))
                return ValidateOptionsResult.Fail($"ConnectionStrings:Portal must name a PostgreSQL Host when {StorageProviders.Key} is postgres, e.g. \"Host=db;Database=modelwatch;Username=portal;Password=...\".");
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:Portal is not an Npgsql connection string, which {StorageProviders.Key}=postgres needs: {e.Message}");
        }

        // Honest refusal: half the stores on PostgreSQL and half in a local file would split one portal's data in two.
        if (StorageProviders.SqliteOnly.Count > 0)
            return ValidateOptionsResult.Fail(
                $"{StorageProviders.Key} is postgres, but the portal cannot run on PostgreSQL yet. On PostgreSQL so far: {string.Join("; ", StorageProviders.OnPostgres)}. " +
                $"Still SQLite-only: {string.Join("; ", StorageProviders.SqliteOnly)}. Set {StorageProviders.Key} to sqlite (the default) for now.");
        return ValidateOptionsResult.Success;
    }
}
