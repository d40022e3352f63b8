using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Metrics;

namespace Nimbus.Server.Storage;

/// <summary>
/// Metric buckets and error groups, in their own SQLite file (<c>{dataDir}/observability.db</c>, WAL) so that the
/// telemetry flush never waits on, or holds, the main store's writer lock and its schema evolves on its own
/// (see docs/design/metrics-store.md). One writer connection behind a lock, pooled readers.
/// </summary>
public sealed partial class SqliteObservabilityStore : IAsyncDisposable
{
    private const int SchemaVersion = 6;
    private const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString;
    private readonly Lock _writeLock = new();
    private SqliteConnection? _writer;
    private SqliteBatchStatement? _spanInsert;
    private bool _disposed;

    public SqliteObservabilityStore(string databasePath)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>Creates the file and the schema; idempotent. Throws when the file has a newer schema than this build.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is not null)
            {
                return Task.CompletedTask;
            }

            var writer = Open();
            try
            {
                writer.Execute("PRAGMA journal_mode = WAL");
                writer.Execute(SqliteWriterSettings.Pragmas);
                var version = writer.ExecuteScalar<long>("PRAGMA user_version");
                if (version > SchemaVersion)
                {
                    throw new InvalidOperationException($"'{DatabasePath}' has schema version {version}; this build knows up to {SchemaVersion}");
                }

                using var transaction = writer.BeginTransaction();
                RebuildClusteredSpans(writer, transaction);
                writer.Execute(Schema, transaction: transaction);
                AddFoldedPhases(writer, transaction);
                RebuildInvocationSpans(writer, transaction);
                writer.Execute($"PRAGMA user_version = {SchemaVersion}", transaction: transaction);
                transaction.Commit();

                // Histogram blobs merge inside the upsert, so a delta is one statement whatever the row held.
                writer.CreateFunction("merge_histogram", (byte[]? stored, byte[]? delta) => MergeHistograms(stored, delta), isDeterministic: true);
            }
            catch
            {
                writer.Dispose();
                throw;
            }

            _writer = writer;
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_writeLock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _spanInsert?.Dispose();
                _spanInsert = null;
                _invocationSpanInsert?.Dispose();
                _invocationSpanInsert = null;
                if (_writer is not null)
                {
                    SqliteConnection.ClearPool(_writer);
                    _writer.Dispose();
                    _writer = null;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private const string Schema =
        $"""
        CREATE TABLE IF NOT EXISTS metric_buckets (
            function TEXT NOT NULL,
            metric TEXT NOT NULL,
            version TEXT NOT NULL,
            alias TEXT NOT NULL,
            dimension TEXT NOT NULL,
            period INTEGER NOT NULL,
            start INTEGER NOT NULL,
            sample_count INTEGER NOT NULL,
            sum REAL NOT NULL,
            minimum REAL NOT NULL,
            maximum REAL NOT NULL,
            histogram BLOB,
            PRIMARY KEY (function, metric, version, alias, dimension, period, start)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS metric_buckets_by_age ON metric_buckets (period, start);

        CREATE TABLE IF NOT EXISTS error_groups (
            id INTEGER PRIMARY KEY,
            function TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            error_type TEXT NOT NULL,
            message TEXT NOT NULL,
            stack_trace TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            first_version TEXT NOT NULL,
            sample_request_id TEXT,
            sample_trace_id TEXT,
            UNIQUE (function, fingerprint)
        );
        CREATE INDEX IF NOT EXISTS error_groups_by_last_seen ON error_groups (function, last_seen);
        CREATE INDEX IF NOT EXISTS error_groups_by_age ON error_groups (last_seen);

        CREATE TABLE IF NOT EXISTS error_group_versions (
            group_id INTEGER NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY (group_id, version)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS spans (
            {SpanColumns}
        );
        CREATE UNIQUE INDEX IF NOT EXISTS spans_by_trace ON spans (trace_id, span_id);
        CREATE INDEX IF NOT EXISTS spans_by_start ON spans (start);
        CREATE INDEX IF NOT EXISTS spans_by_function ON spans (function, start);
        """;

    private const string SpanColumns =
        """
        trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,
        start INTEGER NOT NULL, duration REAL NOT NULL, function TEXT, request_id TEXT, error INTEGER NOT NULL,
        status_message TEXT, origin TEXT NOT NULL, attributes TEXT NOT NULL, phases TEXT, phase_count INTEGER NOT NULL DEFAULT 0
        """;

    /// <summary>
    /// Schema 4: an invocation's phases (queue wait, init, execute) are folded into its own span's row (<c>phases</c>,
    /// <c>phase_count</c>) instead of three rows of their own, a quarter of the rows and index entries per invocation
    /// (docs/design/warm-path.md). Rows written before keep their phases as rows; both read the same.
    /// </summary>
    private static void AddFoldedPhases(SqliteConnection writer, SqliteTransaction transaction)
    {
        var columns = writer.Query<string>("SELECT name FROM pragma_table_info('spans')", transaction: transaction).ToHashSet(StringComparer.Ordinal);
        if (!columns.Contains("phases"))
        {
            writer.Execute("ALTER TABLE spans ADD COLUMN phases TEXT", transaction: transaction);
        }

        if (!columns.Contains("phase_count"))
        {
            writer.Execute("ALTER TABLE spans ADD COLUMN phase_count INTEGER NOT NULL DEFAULT 0", transaction: transaction);
        }
    }

    /// <summary>
    /// Schema 3: spans are a rowid table (rows appended in insert order) with a unique index on (trace, span), no longer
    /// a <c>WITHOUT ROWID</c> table clustered on the random trace id. Clustered, every invocation's three platform spans
    /// (~1 KB) landed on a random leaf page, which split every few invocations: ~3.5 WAL pages per invocation, the largest
    /// write of the telemetry writer (docs/design/warm-path.md). Rows written before are copied over once.
    /// </summary>
    private static void RebuildClusteredSpans(SqliteConnection writer, SqliteTransaction transaction)
    {
        var definition = writer.ExecuteScalar<string?>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spans'", transaction: transaction);
        if (definition is null || !definition.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        writer.Execute(
            $"""
            CREATE TABLE spans_rowid ({SpanColumns});
            INSERT INTO spans_rowid (trace_id, span_id, parent_span_id, name, kind, start, duration, function, request_id, error,
                status_message, origin, attributes)
            SELECT trace_id, span_id, parent_span_id, name, kind, start, duration, function, request_id, error,
                status_message, origin, attributes FROM spans ORDER BY start;
            DROP TABLE spans;
            ALTER TABLE spans_rowid RENAME TO spans;
            """, transaction: transaction);
    }

    private static byte[]? MergeHistograms(byte[]? stored, byte[]? delta)
    {
        if (stored is null || delta is null)
        {
            return stored ?? delta;
        }

        return LogHistogram.MergeBytes(stored, delta);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute($"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;");
        AddReportFunction(connection);
        return connection;
    }

    private T Read<T>(Func<SqliteConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = _writer ?? throw new InvalidOperationException("SqliteObservabilityStore.InitializeAsync must complete before the store is used");
        using var connection = Open();
        return read(connection);
    }

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ?? throw new InvalidOperationException("SqliteObservabilityStore.InitializeAsync must complete before the store is used");
            using var transaction = writer.BeginTransaction(deferred: false);
            var result = write(writer, transaction);
            transaction.Commit();
            return result;
        }
    }
}
