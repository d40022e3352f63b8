using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Gateway;

/// <summary>Two <see cref="SqliteStore"/> instances on one file, as two <c>nimbus up</c> on one data dir would have.</summary>
public sealed class TwoNodeStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-gateway-tests", Guid.NewGuid().ToString("N"));

    private TwoNodeStore(FakeTimeProvider time)
    {
        Time = time;
        NodeA = new SqliteStore(DatabasePath, time);
        NodeB = new SqliteStore(DatabasePath, time);
    }

    public FakeTimeProvider Time { get; }
    public SqliteStore NodeA { get; }
    public SqliteStore NodeB { get; }
    public string DatabasePath => Path.Combine(_directory, "nimbus.db");

    public static async Task<TwoNodeStore> OpenAsync()
    {
        var stores = new TwoNodeStore(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        await stores.NodeA.InitializeAsync(CancellationToken.None);
        await stores.NodeB.InitializeAsync(CancellationToken.None);
        return stores;
    }

    /// <summary>Writes behind the stores' backs, as a damaged or older build's data would be.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
