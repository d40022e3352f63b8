using Microsoft.Data.Sqlite;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// Reads a <c>nimbus.db</c> from outside the server: what a killed process left durable, or the queue of a running one
/// (WAL lets another process read while the server writes). Read-only queries, one unpooled connection each.
/// </summary>
public static class StoreFile
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "nimbus.db");

    /// <summary>The key hashes of the function's idempotency records in state Completed (results recorded).</summary>
    public static HashSet<string> CompletedKeyHashes(string dataDirectory, string functionName) =>
        Strings(dataDirectory, "SELECT key_hash FROM idempotency_records WHERE function_name = $f AND state = 'Completed'", functionName);

    /// <summary>Events of the function still in the queue (queued, leased or waiting), and its dead letters.</summary>
    public static (long Queued, long DeadLetters) QueueOf(string dataDirectory, string functionName)
    {
        using var connection = Open(dataDirectory);
        return (Count(connection, "SELECT count(*) FROM async_events WHERE function_name = $f", functionName),
            Count(connection, "SELECT count(*) FROM dead_letters WHERE function_name = $f", functionName));
    }

    private static HashSet<string> Strings(string dataDirectory, string sql, string functionName)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$f", functionName);
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static long Count(SqliteConnection connection, string sql, string functionName)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$f", functionName);
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PathIn(dataDirectory), Pooling = false }.ToString());
        connection.Open();
        using var timeout = connection.CreateCommand();
        timeout.CommandText = "PRAGMA busy_timeout = 5000";
        timeout.ExecuteNonQuery();
        return connection;
    }
}
