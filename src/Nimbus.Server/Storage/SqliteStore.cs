using System.Data;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Storage;

/// <summary>
/// The embedded store: one SQLite file (e.g. <c>{dataDir}/nimbus.db</c>) in WAL mode.
/// </summary>
/// <remarks>
/// <para>
/// All writes go through one long-lived connection guarded by one <see cref="SemaphoreSlim"/>, so writers of this
/// process queue in memory instead of competing for SQLite's file lock (no <c>SQLITE_BUSY</c> among themselves);
/// <c>busy_timeout</c> covers another process on the same file. Reads use pooled connections and run concurrently
/// with each other and with the writer (WAL readers see the last committed state).
/// </para>
/// <para>
/// Timestamps are stored as unix milliseconds and come back as UTC <see cref="DateTimeOffset"/> truncated to the
/// millisecond. Created/updated times come from the <see cref="TimeProvider"/>, never from the caller.
/// </para>
/// <para>Call <see cref="InitializeAsync"/> once before anything else.</para>
/// </remarks>
public sealed partial class SqliteStore : INimbusStore, IAsyncDisposable, IDisposable
{
    private const int BusyTimeoutMs = 10_000;

    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteBatchStatement? _logInsert;
    private ILogRowSource? _platformLogRows;
    private long _lastLogId;
    private SqliteBatchStatement? _invocationUpsert;
    private bool _disposed;

    public SqliteStore(string databasePath, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _databasePath = Path.GetFullPath(databasePath);
        _timeProvider = timeProvider;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => _databasePath;

    /// <summary>
    /// Creates the file (and its directory) if needed, switches it to WAL and applies the missing migrations.
    /// Idempotent; throws <see cref="InvalidOperationException"/> when the file has a newer schema than this build.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is not null)
            {
                SqliteSchema.Migrate(_writer);
                return;
            }

            var directory = Path.GetDirectoryName(_databasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var writer = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // journal_mode is stored in the file and cannot change inside a transaction, so it is set here once.
                var mode = writer.ExecuteScalar<string>("PRAGMA journal_mode = WAL");
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"SQLite refused WAL mode for '{_databasePath}' (journal_mode is '{mode}')");
                }

                SqliteSchema.Migrate(writer);
                writer.Execute(SqliteWriterSettings.Pragmas);
            }
            catch
            {
                // The store stays unusable rather than working on a schema it could not migrate.
                await writer.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _writer = writer;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<FunctionRecord?> GetFunctionAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadFunction(connection, null, name), cancellationToken);

    /// <summary>All functions, ordered by name.</summary>
    public Task<IReadOnlyList<FunctionRecord>> ListFunctionsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadList(connection, null, $"SELECT {SqliteRows.FunctionColumns} FROM functions ORDER BY name", null, SqliteRows.Function),
            cancellationToken);

    /// <summary>
    /// Creates the function with revision 1, or replaces the whole configuration of an existing one, incrementing its
    /// revision only when the configuration changed (so re-applying an unchanged manifest keeps warm <c>$LATEST</c>
    /// instances). Code, versions and aliases are kept.
    /// </summary>
    public Task<FunctionRecord> UpsertFunctionConfigAsync(FunctionConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = FunctionConfigJson.Serialize(config);
        return WriteAsync((connection, transaction) => UpsertFunction(connection, transaction, config.Name, json), cancellationToken);
    }

    /// <summary>
    /// <see cref="UpsertFunctionConfigAsync"/> after a route conflict check inside the same <c>BEGIN IMMEDIATE</c>
    /// transaction: SQLite lets one writer in at a time, across processes too, so the check sees every committed
    /// route and nothing can commit between the check and the write. Rows that cannot be read take no routes.
    /// </summary>
    public Task<FunctionUpsertResult> TryUpsertFunctionConfigAsync(FunctionConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = FunctionConfigJson.Serialize(config);
        return WriteAsync((connection, transaction) =>
        {
            if (config.Routes.Count > 0)
            {
                var others = new List<FunctionConfig>();
                using (var reader = connection.ExecuteReader("SELECT config FROM functions WHERE name <> @name", new { name = config.Name }, transaction))
                {
                    while (reader.Read())
                    {
                        if (TryRead(reader, r => FunctionConfigJson.Deserialize(r.GetString(0)), out var other, out _))
                        {
                            others.Add(other);
                        }
                    }
                }

                var conflicts = RouteConflicts.Find(config, others);
                if (conflicts.Count > 0)
                {
                    return FunctionUpsertResult.Refused(conflicts);
                }
            }

            var existed = connection.ExecuteScalar<long>("SELECT count(*) FROM functions WHERE name = @name", new { name = config.Name }, transaction) > 0;
            return new FunctionUpsertResult(UpsertFunction(connection, transaction, config.Name, json), !existed, []);
        }, cancellationToken);
    }

    /// <summary>The control-plane generation: one indexed single-row read.</summary>
    public Task<long> GetControlGenerationAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadGeneration(connection, null), cancellationToken);

    /// <summary>
    /// Points <c>$LATEST</c> at the package with this digest. Increments the revision and the update time only when the
    /// digest differs from the current one; setting the same code again returns the record unchanged.
    /// Returns null when the function does not exist. The package need not be recorded with <see cref="RecordPackageAsync"/>.
    /// </summary>
    public Task<FunctionRecord?> SetFunctionCodeAsync(string name, string codeSha256, long codeSize, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(codeSha256);
        ArgumentOutOfRangeException.ThrowIfNegative(codeSize);
        return WriteAsync((connection, transaction) =>
        {
            var changed = connection.Execute(
                """
                UPDATE functions SET code_sha256 = @codeSha256, code_size = @codeSize, revision = revision + 1, updated_at = @now
                WHERE name = @name AND (code_sha256 IS NULL OR code_sha256 <> @codeSha256)
                """,
                new { name, codeSha256, codeSize, now = Now() },
                transaction);
            if (changed > 0)
            {
                BumpGeneration(connection, transaction);
            }

            return ReadFunction(connection, transaction, name);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes the function with all its versions, aliases and provisioned concurrency settings in one transaction.
    /// Its logs, invocations and packages stay. Returns false when the function did not exist.
    /// </summary>
    public Task<bool> DeleteFunctionAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var parameters = new { name };
            connection.Execute("DELETE FROM provisioned_concurrency WHERE function_name = @name", parameters, transaction);
            connection.Execute("DELETE FROM aliases WHERE function_name = @name", parameters, transaction);
            connection.Execute("DELETE FROM versions WHERE function_name = @name", parameters, transaction);
            var deleted = connection.Execute("DELETE FROM functions WHERE name = @name", parameters, transaction) > 0;
            if (deleted)
            {
                BumpGeneration(connection, transaction);
            }

            return deleted;
        }, cancellationToken);

    /// <summary>
    /// Publishes <c>$LATEST</c> as version max(number) + 1, in one transaction so that concurrent publishes get distinct
    /// numbers. When the newest existing version has the same code digest and the same stored configuration text as
    /// <c>$LATEST</c>, returns that version unchanged (its description too) instead of creating one, as Lambda does.
    /// Returns null when the function does not exist; throws <see cref="InvalidOperationException"/> when it has no code.
    /// </summary>
    public Task<VersionRecord?> PublishVersionAsync(string name, string? description, CancellationToken cancellationToken) =>
        WriteAsync<VersionRecord?>((connection, transaction) =>
        {
            string config, codeSha256;
            long codeSize;
            using (var latest = connection.ExecuteReader("SELECT config, code_sha256, code_size FROM functions WHERE name = @name", new { name }, transaction))
            {
                if (!latest.Read())
                {
                    return null;
                }

                if (latest.IsDBNull(1))
                {
                    throw new InvalidOperationException($"function '{name}' has no code to publish");
                }

                (config, codeSha256, codeSize) = (latest.GetString(0), latest.GetString(1), latest.GetInt64(2));
            }

            VersionRecord? newest = null;
            using (var reader = connection.ExecuteReader(
                $"SELECT {SqliteRows.VersionColumns} FROM versions WHERE function_name = @name ORDER BY number DESC LIMIT 1", new { name }, transaction))
            {
                // Column 2 is the stored configuration text; comparing texts (canonical JSON) is comparing configurations.
                if (reader.Read())
                {
                    newest = SqliteRows.Version(reader);
                    if (newest.CodeSha256 == codeSha256 && reader.GetString(2) == config)
                    {
                        return newest;
                    }
                }
            }

            var number = (newest?.Number ?? 0) + 1;
            var now = Now();
            connection.Execute(
                """
                INSERT INTO versions (function_name, number, config, code_sha256, code_size, description, created_at)
                VALUES (@name, @number, @config, @codeSha256, @codeSize, @description, @now)
                """,
                new { name, number, config, codeSha256, codeSize, description, now },
                transaction);
            BumpGeneration(connection, transaction);
            return new VersionRecord(name, number, FunctionConfigJson.Deserialize(config), codeSha256, codeSize, description,
                DateTimeOffset.FromUnixTimeMilliseconds(now));
        }, cancellationToken);

    public Task<VersionRecord?> GetVersionAsync(string name, int number, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadSingle(connection, null,
            $"SELECT {SqliteRows.VersionColumns} FROM versions WHERE function_name = @name AND number = @number",
            new { name, number }, SqliteRows.Version), cancellationToken);

    /// <summary>The function's versions, lowest number first (empty when the function does not exist).</summary>
    public Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadList(connection, null,
            $"SELECT {SqliteRows.VersionColumns} FROM versions WHERE function_name = @name ORDER BY number",
            new { name }, SqliteRows.Version), cancellationToken);

    /// <summary>
    /// Creates or replaces the alias. <see cref="AliasRecord.UpdatedAt"/> is set from the clock (the given value is
    /// ignored). Throws <see cref="InvalidOperationException"/> when the function or one of the versions does not exist.
    /// Weights and the difference of the two versions are validated by the caller.
    /// </summary>
    public Task<AliasRecord> UpsertAliasAsync(AliasRecord alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return WriteAsync((connection, transaction) =>
        {
            RequireFunction(connection, transaction, alias.FunctionName);
            RequireVersion(connection, transaction, alias.FunctionName, alias.Version);
            if (alias.AdditionalVersion is { } additional)
            {
                RequireVersion(connection, transaction, alias.FunctionName, additional);
            }

            var stored = alias with { UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Now()) };
            connection.Execute(
                """
                INSERT INTO aliases (function_name, name, version, additional_version, additional_weight, description, updated_at)
                VALUES (@FunctionName, @Name, @Version, @AdditionalVersion, @AdditionalWeight, @Description, @updatedAt)
                ON CONFLICT (function_name, name) DO UPDATE SET
                    version = excluded.version, additional_version = excluded.additional_version,
                    additional_weight = excluded.additional_weight, description = excluded.description, updated_at = excluded.updated_at
                """,
                new
                {
                    stored.FunctionName,
                    stored.Name,
                    stored.Version,
                    stored.AdditionalVersion,
                    stored.AdditionalWeight,
                    stored.Description,
                    updatedAt = SqliteRows.ToUnixMs(stored.UpdatedAt),
                },
                transaction);
            BumpGeneration(connection, transaction);
            return stored;
        }, cancellationToken);
    }

    public Task<AliasRecord?> GetAliasAsync(string functionName, string aliasName, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadSingle(connection, null,
            $"SELECT {SqliteRows.AliasColumns} FROM aliases WHERE function_name = @functionName AND name = @aliasName",
            new { functionName, aliasName }, SqliteRows.Alias), cancellationToken);

    /// <summary>The function's aliases ordered by name.</summary>
    public Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string functionName, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadList(connection, null,
            $"SELECT {SqliteRows.AliasColumns} FROM aliases WHERE function_name = @functionName ORDER BY name",
            new { functionName }, SqliteRows.Alias), cancellationToken);

    /// <summary>Deletes the alias and the provisioned concurrency configured on it. Returns false when it did not exist.</summary>
    public Task<bool> DeleteAliasAsync(string functionName, string aliasName, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var parameters = new { functionName, aliasName };
            var deleted = connection.Execute("DELETE FROM aliases WHERE function_name = @functionName AND name = @aliasName", parameters, transaction) > 0;
            if (deleted)
            {
                connection.Execute("DELETE FROM provisioned_concurrency WHERE function_name = @functionName AND qualifier = @aliasName", parameters, transaction);
                BumpGeneration(connection, transaction);
            }

            return deleted;
        }, cancellationToken);

    /// <summary>
    /// Sets the warm instance count for a qualifier (<c>$LATEST</c>, a version number or an alias name; not checked
    /// here). A count of 0 removes the setting. Throws <see cref="InvalidOperationException"/> when a positive count is
    /// set on a function that does not exist.
    /// </summary>
    public Task SetProvisionedConcurrencyAsync(string functionName, string qualifier, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(qualifier);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return WriteAsync((connection, transaction) =>
        {
            var parameters = new { functionName, qualifier, count };
            int changed;
            if (count == 0)
            {
                changed = connection.Execute("DELETE FROM provisioned_concurrency WHERE function_name = @functionName AND qualifier = @qualifier", parameters, transaction);
            }
            else
            {
                RequireFunction(connection, transaction, functionName);
                changed = connection.Execute(
                    """
                    INSERT INTO provisioned_concurrency (function_name, qualifier, count) VALUES (@functionName, @qualifier, @count)
                    ON CONFLICT (function_name, qualifier) DO UPDATE SET count = excluded.count
                    """,
                    parameters, transaction);
            }

            if (changed > 0)
            {
                BumpGeneration(connection, transaction);
            }

            return changed;
        }, cancellationToken);
    }

    /// <summary>Records the package; a digest already recorded keeps its first size and creation time.</summary>
    public Task RecordPackageAsync(string sha256, long size, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return WriteAsync((connection, transaction) => connection.Execute(
            "INSERT INTO packages (sha256, size, created_at) VALUES (@sha256, @size, @now) ON CONFLICT (sha256) DO NOTHING",
            new { sha256, size, now = Now() }, transaction), cancellationToken);
    }

    /// <summary>Reads functions, versions, aliases and provisioned concurrency from one consistent snapshot.</summary>
    public Task<RoutingData> LoadRoutingDataAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            // A deferred transaction pins one WAL snapshot for all four reads, so a concurrent publish can never
            // produce an alias that points at a version this snapshot lacks.
            // A row that cannot be read is reported and left out: one bad row must never stop the server from serving
            // the others. The generation is read in the same snapshot, so it names exactly this data.
            using var transaction = connection.BeginTransaction(deferred: true);
            var skipped = new List<StoredRowIssue>();
            var generation = ReadGeneration(connection, transaction);
            var functions = ReadListSkipping(connection, transaction, "functions",
                $"SELECT {SqliteRows.FunctionColumns}, name FROM functions ORDER BY name", SqliteRows.Function, r => r.GetString(6), skipped);
            var versions = ReadListSkipping(connection, transaction, "versions",
                $"SELECT {SqliteRows.VersionColumns} FROM versions ORDER BY function_name, number", SqliteRows.Version,
                r => $"{r.GetValue(0)}:{r.GetValue(1)}", skipped);
            var aliases = ReadListSkipping(connection, transaction, "aliases",
                $"SELECT {SqliteRows.AliasColumns} FROM aliases ORDER BY function_name, name", SqliteRows.Alias,
                r => $"{r.GetValue(0)}:{r.GetValue(1)}", skipped);
            var provisioned = ReadListSkipping(connection, transaction, "provisioned_concurrency",
                $"SELECT {SqliteRows.ProvisionedConcurrencyColumns} FROM provisioned_concurrency ORDER BY function_name, qualifier",
                SqliteRows.ProvisionedConcurrency, r => $"{r.GetValue(0)}:{r.GetValue(1)}", skipped);
            transaction.Commit();
            return new RoutingData(functions, versions, aliases, provisioned) { Generation = generation, Skipped = skipped };
        }, cancellationToken);

    /// <summary>
    /// Inserts the batch in one transaction with one prepared statement. A request id that is already stored (an
    /// async retry reuses its request id) is overwritten: the latest attempt wins.
    /// </summary>
    public Task AppendInvocationsAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((connection, _) =>
        {
            var upsert = _invocationUpsert ??= new SqliteBatchStatement(connection,
                """
                INSERT INTO invocations (request_id, function_name, version, alias, started_at, duration_ms, init_duration_ms,
                                         cold_start, outcome, error_type, max_memory_used_mb, trace_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                ON CONFLICT (request_id) DO UPDATE SET
                    function_name = excluded.function_name, version = excluded.version, alias = excluded.alias,
                    started_at = excluded.started_at, duration_ms = excluded.duration_ms, init_duration_ms = excluded.init_duration_ms,
                    cold_start = excluded.cold_start, outcome = excluded.outcome, error_type = excluded.error_type,
                    max_memory_used_mb = excluded.max_memory_used_mb, trace_id = excluded.trace_id
                """);
            foreach (var record in records)
            {
                upsert.Text(1, record.RequestId);
                upsert.Text(2, record.FunctionName);
                upsert.Text(3, record.Version);
                upsert.Text(4, record.Alias);
                upsert.Integer(5, SqliteRows.ToUnixMs(record.StartedAt));
                upsert.Real(6, record.DurationMs);
                upsert.Real(7, record.InitDurationMs);
                upsert.Integer(8, record.ColdStart ? 1 : 0);
                upsert.Text(9, SqliteRows.OutcomeText(record.Outcome));
                upsert.Text(10, record.ErrorType);
                upsert.Integer(11, record.MaxMemoryUsedMb);
                upsert.Text(12, record.TraceId);
                upsert.Execute();
            }

            return records.Count;
        }, cancellationToken);
    }

    /// <summary>The function's most recent invocations, newest first (by start time, then request id), at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<InvocationRecord>> ListInvocationsAsync(string functionName, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync(connection => ReadList(connection, null,
            $"SELECT {SqliteRows.InvocationColumns} FROM invocations WHERE function_name = @functionName ORDER BY started_at DESC, request_id DESC LIMIT @limit",
            new { functionName, limit }, SqliteRows.Invocation), cancellationToken);
    }

    /// <summary>Waits for the write in progress, then closes the writer and the pooled readers of this file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void CloseConnections()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _logInsert?.Dispose();
        _invocationUpsert?.Dispose();
        if (_writer is not null)
        {
            SqliteConnection.ClearPool(_writer);
            _writer.Dispose();
            _writer = null;
        }
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per-connection settings; a pooled connection keeps them, re-running them is cheap.
            connection.Execute($"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
        {
            throw new InvalidOperationException("SqliteStore.InitializeAsync must complete before the store is used");
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return read(connection);
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ?? throw new InvalidOperationException("SqliteStore.InitializeAsync must complete before the store is used");
            cancellationToken.ThrowIfCancellationRequested();

            // Work runs synchronously: Microsoft.Data.Sqlite's async methods are synchronous anyway, and holding the
            // lock across real awaits would only lengthen the queue.
            using var transaction = writer.BeginTransaction(deferred: false);
            var result = write(writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A read on a pooled connection, for the store's companions (the async event queue).</summary>
    internal Task<T> ReadWithAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken) => ReadAsync(read, cancellationToken);

    /// <summary>A write on the single writer under its lock, for the store's companions (the async event queue).</summary>
    internal Task<T> WriteWithAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken) =>
        WriteAsync(write, cancellationToken);

    /// <summary>
    /// As <see cref="WriteWithAsync{T}"/>, but the commit is fsynced (<c>synchronous = FULL</c> for this transaction), so it
    /// survives a power loss too: what accepting an async event promises. The level cannot change inside a transaction,
    /// hence the switch around it.
    /// </summary>
    internal async Task<T> WriteDurablyAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ?? throw new InvalidOperationException("SqliteStore.InitializeAsync must complete before the store is used");
            cancellationToken.ThrowIfCancellationRequested();
            writer.Execute("PRAGMA synchronous = FULL");
            try
            {
                using var transaction = writer.BeginTransaction(deferred: false);
                var result = write(writer, transaction);
                transaction.Commit();
                return result;
            }
            finally
            {
                writer.Execute("PRAGMA synchronous = NORMAL");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static FunctionRecord? ReadFunction(SqliteConnection connection, SqliteTransaction? transaction, string name) =>
        ReadSingle(connection, transaction, $"SELECT {SqliteRows.FunctionColumns} FROM functions WHERE name = @name", new { name }, SqliteRows.Function);

    private static T? ReadSingle<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, object? parameters, Func<IDataRecord, T> map)
        where T : class
    {
        using var reader = connection.ExecuteReader(sql, parameters, transaction);
        return reader.Read() ? map(reader) : null;
    }

    private static IReadOnlyList<T> ReadList<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, object? parameters, Func<IDataRecord, T> map)
    {
        using var reader = connection.ExecuteReader(sql, parameters, transaction);
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    private FunctionRecord UpsertFunction(SqliteConnection connection, SqliteTransaction transaction, string name, string json)
    {
        var now = Now();
        FunctionRecord saved;
        using (var reader = connection.ExecuteReader(
            $"""
            INSERT INTO functions (name, config, code_sha256, code_size, revision, created_at, updated_at)
            VALUES (@name, @json, NULL, 0, 1, @now, @now)
            ON CONFLICT (name) DO UPDATE SET config = excluded.config,
                revision = CASE WHEN functions.config = excluded.config THEN functions.revision ELSE functions.revision + 1 END,
                updated_at = CASE WHEN functions.config = excluded.config THEN functions.updated_at ELSE excluded.updated_at END
            RETURNING {SqliteRows.FunctionColumns}
            """,
            new { name, json, now },
            transaction))
        {
            reader.Read();
            saved = SqliteRows.Function(reader);
        }

        BumpGeneration(connection, transaction);
        return saved;
    }

    /// <summary>Every control-plane write calls this inside its transaction: the change and its signal commit together.</summary>
    private static void BumpGeneration(SqliteConnection connection, SqliteTransaction transaction) =>
        connection.Execute("UPDATE control_generation SET generation = generation + 1 WHERE id = 1", transaction: transaction);

    private static long ReadGeneration(SqliteConnection connection, SqliteTransaction? transaction) =>
        connection.ExecuteScalar<long>("SELECT generation FROM control_generation WHERE id = 1", transaction: transaction);

    /// <summary>Maps one row; false with the reason when the stored data cannot be read (bad JSON, wrong type, out of range).</summary>
    private static bool TryRead<T>(IDataRecord row, Func<IDataRecord, T> map, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value, out string reason)
    {
        try
        {
            value = map(row);
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or InvalidCastException or OverflowException or FormatException or ArgumentException or NotSupportedException)
        {
            value = default;
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>Like <see cref="ReadList{T}"/>, but a row that cannot be mapped is reported and left out.</summary>
    private static List<T> ReadListSkipping<T>(SqliteConnection connection, SqliteTransaction transaction, string table, string sql, Func<IDataRecord, T> map,
        Func<IDataRecord, string> keyOf, List<StoredRowIssue> skipped)
    {
        using var reader = connection.ExecuteReader(sql, null, transaction);
        var list = new List<T>();
        while (reader.Read())
        {
            if (TryRead(reader, map, out var value, out var reason))
            {
                list.Add(value);
            }
            else
            {
                skipped.Add(new StoredRowIssue(table, keyOf(reader), reason));
            }
        }

        return list;
    }

    private static void RequireFunction(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        if (connection.ExecuteScalar<long>("SELECT count(*) FROM functions WHERE name = @name", new { name }, transaction) == 0)
        {
            throw new InvalidOperationException($"function '{name}' does not exist");
        }
    }

    private static void RequireVersion(SqliteConnection connection, SqliteTransaction transaction, string name, int number)
    {
        if (connection.ExecuteScalar<long>("SELECT count(*) FROM versions WHERE function_name = @name AND number = @number", new { name, number }, transaction) == 0)
        {
            throw new InvalidOperationException($"function '{name}' has no version {number}");
        }
    }

    internal static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
