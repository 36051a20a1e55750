using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ModelWatch.Engine.Storage;

/// <summary>Connections to PostgreSQL from one pooled data source (ConnectionStrings:Portal as an Npgsql connection string).</summary>
public sealed class PostgresConnectionFactory : IConnectionFactory, IDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresConnectionFactory(IOptions<StorageOptions> options) : this(options.Value.ConnectionString) { }

    public PostgresConnectionFactory(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        DataSource = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public StorageProvider Provider => StorageProvider.Postgres;

    public SqlDialect Dialect => PostgresDialect.Instance;

    public string DataSource { get; }

    public NpgsqlConnection Open() => _source.OpenConnection();

    DbConnection IConnectionFactory.Open() => Open();

    public void Dispose() => _source.Dispose();
}
