using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Alarms;

namespace Nimbus.Server.Storage;

/// <summary>
/// Alarm definitions, their current state and every transition, in their own SQLite file (<c>{dataDir}/alarms.db</c>,
/// WAL) so the alarm schema evolves apart from the main store's. A transition and the new state are written in one
/// transaction, before anything acts on them.
/// </summary>
public sealed partial class SqliteAlarmStore : IAsyncDisposable
{
    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS alarms (
            name TEXT PRIMARY KEY,
            function TEXT NOT NULL,
            version TEXT,
            alias TEXT,
            metric TEXT NOT NULL,
            dimension TEXT,
            divided_by TEXT,
            scale REAL NOT NULL,
            statistic TEXT NOT NULL,
            period_seconds INTEGER NOT NULL,
            evaluation_periods INTEGER NOT NULL,
            datapoints_to_alarm INTEGER NOT NULL,
            comparison TEXT NOT NULL,
            threshold REAL NOT NULL,
            treat_missing_data TEXT NOT NULL,
            low_sample_count TEXT NOT NULL,
            description TEXT,
            is_default INTEGER NOT NULL,
            state TEXT NOT NULL,
            reason TEXT NOT NULL,
            state_updated_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS alarms_by_function ON alarms (function, name);
        CREATE TABLE IF NOT EXISTS alarm_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            alarm TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            old_state TEXT NOT NULL,
            new_state TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS alarm_history_by_alarm ON alarm_history (alarm, id);
        CREATE INDEX IF NOT EXISTS alarm_history_by_time ON alarm_history (timestamp);
        """;

    // Columns added after the first release of alarms.db; added to an older file on open.
    private static readonly (string Name, string Type)[] s_addedColumns =
        [("notify", "TEXT NOT NULL DEFAULT ''"), ("notify_on", "TEXT NOT NULL DEFAULT 'ALARM,OK'"), ("runbook", "TEXT"), ("muted_until", "INTEGER")];

    private const string Columns =
        "name, function, version, alias, metric, dimension, divided_by, scale, statistic, period_seconds, evaluation_periods, "
        + "datapoints_to_alarm, comparison, threshold, treat_missing_data, low_sample_count, description, is_default, state, reason, state_updated_at, "
        + "notify, notify_on, runbook, muted_until";

    private const string InsertColumns =
        "name, function, version, alias, metric, dimension, divided_by, scale, statistic, period_seconds, evaluation_periods, "
        + "datapoints_to_alarm, comparison, threshold, treat_missing_data, low_sample_count, description, is_default, state, reason, state_updated_at, "
        + "notify, notify_on, runbook";

    private readonly string _connectionString;

    public SqliteAlarmStore(string databasePath)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var existing = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM pragma_table_info('alarms')", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, type) in s_addedColumns.Where(c => !existing.Contains(c.Name)))
        {
            await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE alarms ADD COLUMN {name} {type}", cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(NotificationSchema, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Creates the alarm in INSUFFICIENT_DATA, or replaces the definition of an existing one keeping its state.</summary>
    public async Task UpsertAsync(AlarmDefinition alarm, bool isDefault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO alarms ({InsertColumns})
            VALUES ($name, $function, $version, $alias, $metric, $dimension, $dividedBy, $scale, $statistic, $periodSeconds, $evaluationPeriods,
                    $datapointsToAlarm, $comparison, $threshold, $treatMissingData, $lowSampleCount, $description, $isDefault,
                    'INSUFFICIENT_DATA', 'Unchecked: initial alarm creation', $now, $notify, $notifyOn, $runbook)
            ON CONFLICT (name) DO UPDATE SET
                function = excluded.function, version = excluded.version, alias = excluded.alias, metric = excluded.metric,
                dimension = excluded.dimension, divided_by = excluded.divided_by, scale = excluded.scale, statistic = excluded.statistic,
                period_seconds = excluded.period_seconds, evaluation_periods = excluded.evaluation_periods,
                datapoints_to_alarm = excluded.datapoints_to_alarm, comparison = excluded.comparison, threshold = excluded.threshold,
                treat_missing_data = excluded.treat_missing_data, low_sample_count = excluded.low_sample_count,
                description = excluded.description, is_default = excluded.is_default,
                notify = excluded.notify, notify_on = excluded.notify_on, runbook = excluded.runbook
            """,
            new
            {
                name = alarm.Name,
                function = alarm.Dimensions.Function,
                version = alarm.Dimensions.Version,
                alias = alarm.Dimensions.Alias,
                metric = alarm.Metric.Name,
                dimension = alarm.Metric.Dimension,
                dividedBy = alarm.Metric.DividedBy,
                scale = alarm.Metric.Scale,
                statistic = alarm.Statistic.Name,
                periodSeconds = (long)alarm.Period.TotalSeconds,
                evaluationPeriods = alarm.EvaluationPeriods,
                datapointsToAlarm = alarm.DatapointsToAlarm,
                comparison = alarm.Comparison.ToString(),
                threshold = alarm.Threshold,
                treatMissingData = TreatMissingDataNames.ToName(alarm.TreatMissingData),
                lowSampleCount = alarm.LowSampleCountPercentile.ToString(),
                description = alarm.Description,
                isDefault = isDefault ? 1 : 0,
                notify = string.Join('\n', alarm.Notify),
                notifyOn = string.Join(',', alarm.NotifyOn.Select(AlarmStateNames.ToName)),
                runbook = alarm.Runbook,
                now = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Alarms by name, all or those of one function.</summary>
    public async Task<IReadOnlyList<AlarmRecord>> ListAsync(string? function, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AlarmRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alarms WHERE $function IS NULL OR function = $function ORDER BY name",
            new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToRecord).ToList();
    }

    public async Task<AlarmRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<AlarmRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alarms WHERE name = $name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>Removes alarms (and their history), e.g. the defaults of a deleted function.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM alarms WHERE name = $name; DELETE FROM alarm_history WHERE alarm = $name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Moves the alarm to its new state and appends the transition, in one transaction.</summary>
    public async Task RecordTransitionAsync(AlarmTransition transition, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            alarm = transition.Alarm,
            timestamp = transition.Timestamp.ToUnixTimeMilliseconds(),
            oldState = AlarmStateNames.ToName(transition.OldState),
            newState = AlarmStateNames.ToName(transition.NewState),
            reason = transition.Reason,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alarms SET state = $newState, reason = $reason, state_updated_at = $timestamp WHERE name = $alarm",
            parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alarm_history (alarm, timestamp, old_state, new_state, reason) VALUES ($alarm, $timestamp, $oldState, $newState, $reason)",
            parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Mutes the alarm's notifications until <paramref name="until"/>, or unmutes it (null); false when there is no such alarm.</summary>
    public async Task<bool> SetMutedUntilAsync(string name, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alarms SET muted_until = $until WHERE name = $name",
            new { name, until = until?.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Transitions of every alarm of <paramref name="function"/> (all functions when null) since a time, newest first.</summary>
    public async Task<IReadOnlyList<(AlarmTransition Transition, string Function)>> ListHistorySinceAsync(
        string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<FunctionHistoryRow>(new CommandDefinition(
            """
            SELECT h.alarm, h.timestamp, h.old_state, h.new_state, h.reason, a.function FROM alarm_history h JOIN alarms a ON a.name = h.alarm
            WHERE h.timestamp >= $since AND ($function IS NULL OR a.function = $function) ORDER BY h.timestamp DESC, h.id DESC LIMIT $limit
            """,
            new { function, since = since.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (new AlarmTransition(
            r.alarm, DateTimeOffset.FromUnixTimeMilliseconds(r.timestamp), State(r.old_state), State(r.new_state), r.reason), r.function)).ToList();
    }

    /// <summary>The alarm's transitions, newest first.</summary>
    public async Task<IReadOnlyList<AlarmTransition>> ListHistoryAsync(string name, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            "SELECT alarm, timestamp, old_state, new_state, reason FROM alarm_history WHERE alarm = $name ORDER BY id DESC LIMIT $limit",
            new { name, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AlarmTransition(
            r.alarm, DateTimeOffset.FromUnixTimeMilliseconds(r.timestamp), State(r.old_state), State(r.new_state), r.reason)).ToList();
    }

    public ValueTask DisposeAsync()
    {
        // Releases this file's pooled connections only, so the file can be deleted or moved.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static AlarmState State(string text) => AlarmStateNames.TryParse(text, out var state) ? state : AlarmState.InsufficientData;

    private static AlarmRecord ToRecord(AlarmRow row)
    {
        var definition = new AlarmDefinition(
            row.name,
            new AlarmDimensions(row.function, row.version, row.alias),
            new AlarmMetric(row.metric, row.dimension, row.divided_by, row.scale),
            AlarmStatistic.TryParse(row.statistic, out var statistic) ? statistic : AlarmStatistic.Sum,
            TimeSpan.FromSeconds(row.period_seconds),
            (int)row.evaluation_periods,
            (int)row.datapoints_to_alarm,
            Enum.TryParse<ComparisonOperator>(row.comparison, out var comparison) ? comparison : ComparisonOperator.GreaterThanOrEqualToThreshold,
            row.threshold,
            TreatMissingDataNames.TryParse(row.treat_missing_data, out var treat) ? treat : TreatMissingData.Missing)
        {
            LowSampleCountPercentile = Enum.TryParse<LowSampleCountPercentile>(row.low_sample_count, out var low) ? low : LowSampleCountPercentile.Evaluate,
            Description = row.description,
            Notify = row.notify.Length == 0 ? [] : row.notify.Split('\n'),
            NotifyOn = row.notify_on.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(State).ToList(),
            Runbook = row.runbook,
        };
        return new AlarmRecord(definition, State(row.state), row.reason, DateTimeOffset.FromUnixTimeMilliseconds(row.state_updated_at), row.is_default != 0)
        {
            MutedUntil = row.muted_until is { } muted ? DateTimeOffset.FromUnixTimeMilliseconds(muted) : null,
        };
    }

    // Dapper maps columns to these by name.
#pragma warning disable IDE1006
    private sealed record AlarmRow(
        string name, string function, string? version, string? alias, string metric, string? dimension, string? divided_by, double scale,
        string statistic, long period_seconds, long evaluation_periods, long datapoints_to_alarm, string comparison, double threshold,
        string treat_missing_data, string low_sample_count, string? description, long is_default, string state, string reason, long state_updated_at,
        string notify, string notify_on, string? runbook, long? muted_until);

    private sealed record FunctionHistoryRow(string alarm, long timestamp, string old_state, string new_state, string reason, string function);

    private sealed record HistoryRow(string alarm, long timestamp, string old_state, string new_state, string reason);
#pragma warning restore IDE1006
}
