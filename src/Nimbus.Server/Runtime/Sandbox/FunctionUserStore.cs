using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Sandbox;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// The uid each function runs as, in its own SQLite file (<c>{dataDir}/sandbox.db</c>): allocated in sequence from
/// <see cref="FunctionUserRange.First"/> the first time a function starts, and kept (a function deleted and created again
/// under its name gets the same uid back; no other name ever gets it). Read at launch only; cached after the first read.
/// </summary>
public sealed class FunctionUserStore
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS function_users (name TEXT PRIMARY KEY, uid INTEGER NOT NULL UNIQUE);";

    private readonly string _connectionString;
    private readonly ConcurrentDictionary<string, int> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _allocation = new(1, 1);
    private bool _initialized;

    public FunctionUserStore(string databasePath)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(databasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString();
    }

    public async Task<int> GetUidAsync(string functionName, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(functionName, out var cached))
        {
            return cached;
        }

        await _allocation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_initialized)
            {
                await connection.ExecuteAsync(Schema).ConfigureAwait(false);
                _initialized = true;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var uid = await connection.QuerySingleOrDefaultAsync<int?>(
                "SELECT uid FROM function_users WHERE name = @name", new { name = functionName }, transaction).ConfigureAwait(false);
            if (uid is null)
            {
                var highest = await connection.QuerySingleAsync<int?>("SELECT MAX(uid) FROM function_users", transaction: transaction).ConfigureAwait(false);
                uid = FunctionUserRange.Next(highest);
                await connection.ExecuteAsync("INSERT INTO function_users (name, uid) VALUES (@name, @uid)", new { name = functionName, uid }, transaction).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _cache[functionName] = uid.Value;
            return uid.Value;
        }
        finally
        {
            _allocation.Release();
        }
    }
}
