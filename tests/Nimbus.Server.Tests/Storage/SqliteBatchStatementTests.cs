using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>
/// The telemetry writer's prepared statement: text goes in as UTF-8 from a scratch buffer reused row after row, so what
/// a row stores must be its own values, whatever came before it, and a row that leaves a value unbound must not run.
/// </summary>
public sealed class SqliteBatchStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteBatchStatementTests()
    {
        _connection.Open();
        _connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, n INTEGER)");
    }

    [Fact]
    public void EveryRow_StoresItsOwnText_LongOrShort_AndNotAscii()
    {
        var long1 = new string('x', 20_000) + "é";
        var rows = new (string? A, string? B, long N)[]
        {
            ("first", "ünïcødé 🚀", 1),
            (long1, "after a value too long for the scratch", 2),
            ("", null, 3),
            ("short", new string('y', 9_000), 4),
            (new string('z', 9_000), new string('w', 9_000), 5),
        };
        using (var insert = new SqliteBatchStatement(_connection, "INSERT INTO t (a, b, n) VALUES (?1, ?2, ?3)"))
        {
            foreach (var (a, b, n) in rows)
            {
                insert.Text(1, a);
                insert.Text(2, b);
                insert.Integer(3, n);
                insert.Execute();
            }
        }

        var stored = _connection.Query<(string? A, string? B, long N)>("SELECT a, b, n FROM t ORDER BY id").ToList();
        Assert.Equal(rows, stored);
    }

    [Fact]
    public void ARowWithAValueLeftUnbound_IsRefused_AndTheNextFullRowStillRuns()
    {
        using var insert = new SqliteBatchStatement(_connection, "INSERT INTO t (a, b, n) VALUES (?1, ?2, ?3)");
        insert.Text(1, "one");
        insert.Text(2, "two");
        insert.Integer(3, 1);
        insert.Execute();

        insert.Text(1, "only a");
        insert.Integer(3, 2);
        var refused = Assert.Throws<InvalidOperationException>(insert.Execute);
        Assert.Contains("bound", refused.Message, StringComparison.Ordinal);

        insert.Text(1, "three");
        insert.Text(2, "four");
        insert.Integer(3, 3);
        insert.Execute();

        Assert.Equal([("one", "two"), ("three", "four")], _connection.Query<(string, string)>("SELECT a, b FROM t ORDER BY id"));
    }

    public void Dispose() => _connection.Dispose();
}
