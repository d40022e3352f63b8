using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Nimbus.Server.Storage;

/// <summary>
/// One statement of a writer connection, prepared once and run for every row of every telemetry batch, with values bound
/// by position. Microsoft.Data.Sqlite's commands look each parameter up by name and convert it and every text value to a
/// UTF-8 copy on every execution, and open a data reader per row; on the telemetry writer that binding was a fifth of its
/// CPU (docs/design/warm-path.md). Text is bound as UTF-16, which SQLite converts in place.
/// </summary>
/// <remarks>Not thread-safe: used only under its store's write lock, inside the store's transaction.</remarks>
internal sealed class SqliteBatchStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteBatchStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        var rc = raw.sqlite3_prepare_v2(_database, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _database);
    }

    /// <param name="index">1-based, as SQLite counts parameters.</param>
    public void Text(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Integer(int index, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, index, number) : raw.sqlite3_bind_null(_statement, index));

    public void Real(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    public void Real(int index, double? value) =>
        Check(value is { } number ? raw.sqlite3_bind_double(_statement, index, number) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement with the values bound, then resets it for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }
}
