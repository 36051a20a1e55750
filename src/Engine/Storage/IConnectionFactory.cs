using System.Data.Common;

namespace ModelWatch.Engine.Storage;

/// <summary>
/// Opens connections to the portal's database whatever the provider. Stores moved behind this seam write their SQL once
/// and ask <see cref="Dialect"/> for what differs between SQLite and PostgreSQL.
/// </summary>
public interface IConnectionFactory
{
    StorageProvider Provider { get; }

    SqlDialect Dialect { get; }

    /// <summary>Where the data lives, for messages (a file path, or host:port/database). Never holds a password.</summary>
    string DataSource { get; }

    /// <summary>An open connection, configured as every connection of this provider must be.</summary>
    DbConnection Open();
}
