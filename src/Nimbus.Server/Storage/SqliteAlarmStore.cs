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
public sealed class SqliteAlarmStore : IAsyncDisposable
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
        """;

    private const string Columns =
        "name, function, version, alias, metric, dimension, divided_by, scale, statistic, period_seconds, evaluation_periods, "
        + "datapoints_to_alarm, comparison, threshold, treat_missing_data, low_sample_count, description, is_default, state, reason, state_updated_at";

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
    }

    /// <summary>Creates the alarm in INSUFFICIENT_DATA, or replaces the definition of an existing one keeping its state.</summary>
    public async Task UpsertAsync(AlarmDefinition alarm, bool isDefault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO alarms ({Columns})
            VALUES ($name, $function, $version, $alias, $metric, $dimension, $dividedBy, $scale, $statistic, $periodSeconds, $evaluationPeriods,
                    $datapointsToAlarm, $comparison, $threshold, $treatMissingData, $lowSampleCount, $description, $isDefault,
                    'INSUFFICIENT_DATA', 'Unchecked: initial alarm creation', $now)
            ON CONFLICT (name) DO UPDATE SET
                function = excluded.function, version = excluded.version, alias = excluded.alias, metric = excluded.metric,
                dimension = excluded.dimension, divided_by = excluded.divided_by, scale = excluded.scale, statistic = excluded.statistic,
                period_seconds = excluded.period_seconds, evaluation_periods = excluded.evaluation_periods,
                datapoints_to_alarm = excluded.datapoints_to_alarm, comparison = excluded.comparison, threshold = excluded.threshold,
                treat_missing_data = excluded.treat_missing_data, low_sample_count = excluded.low_sample_count,
                description = excluded.description, is_default = excluded.is_default
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
        };
        return new AlarmRecord(definition, State(row.state), row.reason, DateTimeOffset.FromUnixTimeMilliseconds(row.state_updated_at), row.is_default != 0);
    }

    // Dapper maps columns to these by name.
#pragma warning disable IDE1006
    private sealed record AlarmRow(
        string name, string function, string? version, string? alias, string metric, string? dimension, string? divided_by, double scale,
        string statistic, long period_seconds, long evaluation_periods, long datapoints_to_alarm, string comparison, double threshold,
        string treat_missing_data, string low_sample_count, string? description, long is_default, string state, string reason, long state_updated_at);

    private sealed record HistoryRow(string alarm, long timestamp, string old_state, string new_state, string reason);
#pragma warning restore IDE1006
}
