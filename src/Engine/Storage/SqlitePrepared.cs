using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Storage;

/// <summary>One prepared command per statement for a bulk pass inside one transaction (the pitfall: re-preparing per row).</summary>
public static class SqlitePrepared
{
    /// <summary>A command bound to the transaction with its named parameters declared, compiled once; set Parameters[i].Value per row.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }
}
