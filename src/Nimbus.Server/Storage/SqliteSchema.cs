using Microsoft.Data.Sqlite;

namespace Nimbus.Server.Storage;

/// <summary>
/// Forward-only migrations of the SQLite schema. Migration <c>i</c> (0-based) takes the database to version <c>i + 1</c>;
/// released migrations are never edited, a change is a new entry.
/// </summary>
internal static class SqliteSchema
{
    // Foreign keys cascade so that a function's dependent rows can never outlive it, even if a future code path
    // deletes the function row directly. Logs and invocations deliberately have none: they outlive the function.
    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE packages (
            sha256     TEXT    NOT NULL PRIMARY KEY,
            size       INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE functions (
            name        TEXT    NOT NULL PRIMARY KEY,
            config      TEXT    NOT NULL,
            code_sha256 TEXT,
            code_size   INTEGER NOT NULL DEFAULT 0,
            revision    INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );

        CREATE TABLE versions (
            function_name TEXT    NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
            number        INTEGER NOT NULL,
            config        TEXT    NOT NULL,
            code_sha256   TEXT    NOT NULL,
            code_size     INTEGER NOT NULL,
            description   TEXT,
            created_at    INTEGER NOT NULL,
            PRIMARY KEY (function_name, number)
        );

        CREATE TABLE aliases (
            function_name      TEXT    NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
            name               TEXT    NOT NULL,
            version            INTEGER NOT NULL,
            additional_version INTEGER,
            additional_weight  REAL    NOT NULL DEFAULT 0,
            description        TEXT,
            updated_at         INTEGER NOT NULL,
            PRIMARY KEY (function_name, name)
        );

        CREATE TABLE provisioned_concurrency (
            function_name TEXT    NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
            qualifier     TEXT    NOT NULL,
            count         INTEGER NOT NULL,
            PRIMARY KEY (function_name, qualifier)
        );

        CREATE TABLE logs (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            time          INTEGER NOT NULL,
            function_name TEXT    NOT NULL,
            version       TEXT    NOT NULL,
            request_id    TEXT,
            trace_id      TEXT,
            level         TEXT    NOT NULL,
            stream        TEXT    NOT NULL,
            message       TEXT    NOT NULL,
            fields_json   TEXT
        );
        CREATE INDEX ix_logs_function_time ON logs (function_name, time);
        CREATE INDEX ix_logs_request ON logs (request_id);

        CREATE TABLE invocations (
            request_id         TEXT    NOT NULL PRIMARY KEY,
            function_name      TEXT    NOT NULL,
            version            TEXT    NOT NULL,
            alias              TEXT,
            started_at         INTEGER NOT NULL,
            duration_ms        REAL    NOT NULL,
            init_duration_ms   REAL,
            cold_start         INTEGER NOT NULL,
            outcome            TEXT    NOT NULL,
            error_type         TEXT,
            max_memory_used_mb INTEGER NOT NULL,
            trace_id           TEXT
        );
        CREATE INDEX ix_invocations_function_started ON invocations (function_name, started_at);
        """,
        // 2: the control-plane change signal. One row; every write of functions, versions, aliases or provisioned
        // concurrency increments it in the same transaction, so any node can tell from one cheap read that routing
        // changed, whoever wrote it.
        """
        CREATE TABLE control_generation (
            id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        );
        INSERT INTO control_generation (id, generation) VALUES (1, 0);
        """,
        // 3: the async event queue and its dead letters (issue 7).
        """
        CREATE TABLE async_events (
            id               TEXT    NOT NULL PRIMARY KEY,
            function_name    TEXT    NOT NULL,
            qualifier        TEXT,
            payload          BLOB    NOT NULL,
            request_id       TEXT    NOT NULL,
            traceparent      TEXT,
            enqueued_at      INTEGER NOT NULL,
            failed_attempts  INTEGER NOT NULL DEFAULT 0,
            postponements    INTEGER NOT NULL DEFAULT 0,
            next_visible_at  INTEGER NOT NULL,
            lease_owner      TEXT,
            lease_expires_at INTEGER,
            state            TEXT    NOT NULL,
            history          TEXT    NOT NULL DEFAULT '[]',
            redrives         INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_async_events_due ON async_events (next_visible_at);
        CREATE INDEX ix_async_events_function ON async_events (function_name);

        CREATE TABLE dead_letters (
            id                TEXT    NOT NULL PRIMARY KEY,
            function_name     TEXT    NOT NULL,
            qualifier         TEXT,
            payload           BLOB    NOT NULL,
            request_id        TEXT    NOT NULL,
            traceparent       TEXT,
            enqueued_at       INTEGER NOT NULL,
            dead_lettered_at  INTEGER NOT NULL,
            condition         TEXT    NOT NULL,
            error_type        TEXT,
            error_message     TEXT,
            history           TEXT    NOT NULL,
            redrives          INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_dead_letters_function ON dead_letters (function_name, dead_lettered_at);
        """,
        // 4: schedules (issue 8). One row per declared schedule; next_fire_at is claimed (compared and advanced) in
        // the transaction that enqueues the tick's event, so each tick is delivered once across restarts and nodes.
        """
        CREATE TABLE schedules (
            id              TEXT    NOT NULL PRIMARY KEY,
            function_name   TEXT    NOT NULL,
            fingerprint     TEXT    NOT NULL,
            next_fire_at    INTEGER,
            last_fire_at    INTEGER,
            last_result     TEXT,
            last_request_id TEXT
        );
        CREATE INDEX ix_schedules_function ON schedules (function_name);
        """,
        // 5: idempotency records and webhook deliveries (issue 7). A record is keyed by function and the key's SHA-256;
        // expires_at is the TTL's end for a completed record and the invocation's own limit for one in progress.
        // A delivery is one webhook POST of an invocation record, with its attempts as JSON.
        """
        CREATE TABLE idempotency_records (
            function_name    TEXT    NOT NULL,
            key_hash         TEXT    NOT NULL,
            state            TEXT    NOT NULL,
            request_id       TEXT    NOT NULL,
            created_at       INTEGER NOT NULL,
            expires_at       INTEGER NOT NULL,
            response         BLOB,
            executed_version TEXT,
            PRIMARY KEY (function_name, key_hash)
        );
        CREATE INDEX ix_idempotency_records_expiry ON idempotency_records (expires_at);

        CREATE TABLE webhook_deliveries (
            id              TEXT    NOT NULL PRIMARY KEY,
            function_name   TEXT    NOT NULL,
            request_id      TEXT    NOT NULL,
            url             TEXT    NOT NULL,
            condition       TEXT    NOT NULL,
            body            BLOB    NOT NULL,
            state           TEXT    NOT NULL,
            created_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            attempts        TEXT    NOT NULL DEFAULT '[]'
        );
        CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
        CREATE INDEX ix_webhook_deliveries_function ON webhook_deliveries (function_name, created_at);

        CREATE TABLE webhook_secrets (
            function_name TEXT NOT NULL PRIMARY KEY,
            secret        TEXT NOT NULL,
            created_at    INTEGER NOT NULL
        );
        """,
        // ---- secrets and policy (issue 12): one self-contained migration; renumber freely when merging. ----
        // 6: secrets (encrypted: value sealed by a per-secret data key, the data key sealed by the master key; the
        // master check row is a known text sealed by the master key, to tell a wrong key from damaged rows) and the
        // access each function was observed attempting (for `nimbus policy suggest`).
        """
        CREATE TABLE secrets (
            name       TEXT    NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            version_id TEXT    NOT NULL,
            value      BLOB    NOT NULL,
            data_key   BLOB    NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE secret_master_check (
            id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            sealed BLOB    NOT NULL
        );
        CREATE TABLE observed_access (
            function_name TEXT    NOT NULL,
            action        TEXT    NOT NULL,
            resource      TEXT    NOT NULL,
            allowed       INTEGER NOT NULL DEFAULT 0,
            denied        INTEGER NOT NULL DEFAULT 0,
            last_at       INTEGER NOT NULL,
            PRIMARY KEY (function_name, action, resource)
        );
        """,
        // ---- end of secrets and policy ----
        // 7: identities and the audit log (issue 12). A token keeps only the SHA-256 of its text; an access key its
        // secret encrypted (AES-GCM, key file in the data dir), because SigV4 verification needs the secret itself.
        """
        CREATE TABLE identities (
            id               TEXT    NOT NULL PRIMARY KEY,
            kind             TEXT    NOT NULL,
            role             TEXT    NOT NULL,
            function_scope   TEXT,
            description      TEXT,
            token_sha256     TEXT,
            secret_encrypted BLOB,
            created_at       INTEGER NOT NULL,
            created_by       TEXT    NOT NULL,
            revoked_at       INTEGER
        );

        CREATE TABLE audit_log (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            time          INTEGER NOT NULL,
            identity_id   TEXT,
            role          TEXT,
            action        TEXT    NOT NULL,
            target        TEXT    NOT NULL,
            function_name TEXT,
            source        TEXT    NOT NULL,
            outcome       TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            detail        TEXT
        );
        CREATE INDEX ix_audit_log_time ON audit_log (time);
        """,
        // ---- queues helper (issue 8): named queues, event source pauses, schedule pauses. One migration, kept as its
        // own block so it can be renumbered at a merge without touching its neighbours.
        // 8: queue_messages holds a queue's messages and, with dead_lettered_at set, its dead-letter queue; a receive is
        // an update of visible_at, receive_count and receipt_handle in one transaction.
        """
        CREATE TABLE queues (
            name       TEXT    NOT NULL PRIMARY KEY,
            config     TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE queue_messages (
            id                TEXT    NOT NULL PRIMARY KEY,
            queue_name        TEXT    NOT NULL REFERENCES queues(name) ON DELETE CASCADE,
            body              TEXT    NOT NULL,
            attributes        TEXT,
            traceparent       TEXT,
            sent_at           INTEGER NOT NULL,
            visible_at        INTEGER NOT NULL,
            receive_count     INTEGER NOT NULL DEFAULT 0,
            first_received_at INTEGER,
            receipt_handle    TEXT,
            dead_lettered_at  INTEGER
        );
        CREATE INDEX ix_queue_messages_visible ON queue_messages (queue_name, visible_at) WHERE dead_lettered_at IS NULL;
        CREATE INDEX ix_queue_messages_dead ON queue_messages (queue_name, dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;

        CREATE TABLE event_source_pauses (
            function_name TEXT    NOT NULL,
            queue_name    TEXT    NOT NULL,
            paused_at     INTEGER NOT NULL,
            PRIMARY KEY (function_name, queue_name)
        );

        ALTER TABLE schedules ADD COLUMN paused_at INTEGER;
        """,
        // ---- end of the queues helper's block.
        // ---- async helper (issue 7): 9: the idempotency key of an async event whose function keys on a header
        // (header:NAME): the header's name and value, kept at acceptance (events keep no headers) and through a dead
        // letter and its redrive. async_event_depths: each function's queue depth, kept exact by triggers in the same
        // transactions as the rows, so the depth bound at acceptance is one lookup instead of a count over the backlog.
        // The due index gains enqueued_at so a lease reads its LIMIT rows in order instead of sorting every due row.
        // Own block so it can be renumbered at a merge.
        """
        ALTER TABLE async_events ADD COLUMN key_header TEXT;
        ALTER TABLE async_events ADD COLUMN key_value TEXT;
        ALTER TABLE dead_letters ADD COLUMN key_header TEXT;
        ALTER TABLE dead_letters ADD COLUMN key_value TEXT;

        CREATE TABLE async_event_depths (
            function_name TEXT    NOT NULL PRIMARY KEY,
            depth         INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO async_event_depths (function_name, depth) SELECT function_name, count(*) FROM async_events GROUP BY function_name;
        CREATE TRIGGER async_events_depth_insert AFTER INSERT ON async_events BEGIN
            INSERT INTO async_event_depths (function_name, depth) VALUES (NEW.function_name, 1)
            ON CONFLICT (function_name) DO UPDATE SET depth = depth + 1;
        END;
        CREATE TRIGGER async_events_depth_delete AFTER DELETE ON async_events BEGIN
            UPDATE async_event_depths SET depth = depth - 1 WHERE function_name = OLD.function_name;
        END;

        DROP INDEX ix_async_events_due;
        CREATE INDEX ix_async_events_due ON async_events (next_visible_at, enqueued_at);
        """,
        // ---- end of the async helper's block.
        // 10: an invocation's START, END and REPORT lines in one row (LogFolding): frame 1 = END and REPORT (the message
        // is REPORT's, the row's id REPORT's, END's the one before), 2 = START too, with its own id and time (ms).
        """
        ALTER TABLE logs ADD COLUMN frame INTEGER;
        ALTER TABLE logs ADD COLUMN start_id INTEGER;
        ALTER TABLE logs ADD COLUMN start_time INTEGER;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => s_migrations.Length;

    /// <summary>
    /// Applies the missing migrations in one transaction. The caller holds the write lock; <c>BEGIN IMMEDIATE</c>
    /// also keeps a second process that starts at the same moment from migrating twice.
    /// </summary>
    public static int Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY)");

        using var current = connection.CreateCommand();
        current.Transaction = transaction;
        current.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        var version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        if (version > LatestVersion)
        {
            // An older binary must not write into a schema it does not understand.
            throw new InvalidOperationException(
                $"the database schema is version {version}, newer than the version {LatestVersion} this Nimbus supports; upgrade Nimbus");
        }

        for (var next = version + 1; next <= LatestVersion; next++)
        {
            Execute(connection, transaction, s_migrations[next - 1]);
            Execute(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({next})");
        }

        transaction.Commit();
        return LatestVersion;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
