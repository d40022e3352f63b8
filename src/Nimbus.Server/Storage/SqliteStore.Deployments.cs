using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Storage;

/// <summary>
/// Deployments in SQLite. The tables are created on first use with <c>IF NOT EXISTS</c> rather than by a numbered
/// migration, so this feature adds no entry to the shared migration list (docs/design/deployments.md).
/// </summary>
public sealed partial class SqliteStore : IDeploymentStore
{
    private const string DeploymentColumns =
        "id, function_name, alias, from_version, to_version, strategy, pre_traffic, post_traffic, hook_timeout_ms, alarms, " +
        "max_burn_rate, forced, state, step_index, since, hook_execution_id, reason, created_at, updated_at";

    private const string DeploymentsSchema =
        """
        CREATE TABLE IF NOT EXISTS deployments (
            id                TEXT    NOT NULL PRIMARY KEY,
            function_name     TEXT    NOT NULL,
            alias             TEXT    NOT NULL,
            from_version      INTEGER NOT NULL,
            to_version        INTEGER NOT NULL,
            strategy          TEXT    NOT NULL,
            pre_traffic       TEXT,
            post_traffic      TEXT,
            hook_timeout_ms   INTEGER NOT NULL,
            alarms            TEXT    NOT NULL,
            max_burn_rate     REAL,
            forced            INTEGER NOT NULL,
            state             TEXT    NOT NULL,
            step_index        INTEGER NOT NULL,
            since             INTEGER NOT NULL,
            hook_execution_id TEXT,
            reason            TEXT,
            command           TEXT,
            created_at        INTEGER NOT NULL,
            updated_at        INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_deployments_function ON deployments (function_name, created_at);
        CREATE INDEX IF NOT EXISTS ix_deployments_state ON deployments (state);
        CREATE TABLE IF NOT EXISTS deployment_hook_results (
            deployment_id     TEXT NOT NULL,
            hook_execution_id TEXT NOT NULL,
            status            TEXT NOT NULL,
            reported_at       INTEGER NOT NULL,
            PRIMARY KEY (deployment_id, hook_execution_id)
        );
        CREATE TABLE IF NOT EXISTS deployment_steps (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            deployment_id  TEXT    NOT NULL,
            function_name  TEXT    NOT NULL,
            alias          TEXT    NOT NULL,
            at             INTEGER NOT NULL,
            state          TEXT    NOT NULL,
            step_index     INTEGER NOT NULL,
            reason         TEXT,
            command        TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_deployment_steps_function ON deployment_steps (function_name, at);
        CREATE TABLE IF NOT EXISTS deployment_shadow_reports (
            deployment_id TEXT    NOT NULL PRIMARY KEY,
            report        TEXT    NOT NULL,
            updated_at    INTEGER NOT NULL
        );
        """;

    private static readonly JsonSerializerOptions s_shadowReportJson = new(JsonSerializerDefaults.Web);

    private static readonly string s_activeStates = string.Join(", ",
        Enum.GetValues<DeploymentState>().Where(s => !DeploymentTransitions.IsTerminal(s)).Select(s => $"'{s}'"));

    private volatile bool _deploymentsReady;

    public async Task InsertDeploymentAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        await DeploymentWriteAsync((connection, transaction) => connection.Execute(
            $"INSERT INTO deployments ({DeploymentColumns}, command) VALUES (@id, @functionName, @alias, @fromVersion, @toVersion, @strategy, " +
            "@preTraffic, @postTraffic, @hookTimeoutMs, @alarms, @maxBurnRate, @forced, @state, @stepIndex, @since, @hookExecutionId, @reason, " +
            "@createdAt, @updatedAt, NULL)",
            Parameters(deployment), transaction), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateDeploymentAsync(Deployment deployment, DateTimeOffset expectedUpdatedAt, DeploymentCommand consumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var parameters = new DynamicParameters(Parameters(deployment));
        parameters.Add("expected", SqliteRows.ToUnixMs(expectedUpdatedAt));
        parameters.Add("consumed", consumed.ToString());
        var rows = await DeploymentWriteAsync((connection, transaction) =>
        {
            var updated = connection.Execute(
                """
                UPDATE deployments SET state = @state, step_index = @stepIndex, since = @since, hook_execution_id = @hookExecutionId,
                    reason = @reason, updated_at = @updatedAt, forced = @forced,
                    command = CASE WHEN command = @consumed THEN NULL ELSE command END
                WHERE id = @id AND updated_at = @expected
                """, parameters, transaction);
            if (updated == 1)
            {
                // The step's record is written with the step: the timeline never misses or invents one.
                connection.Execute(
                    """
                    INSERT INTO deployment_steps (deployment_id, function_name, alias, at, state, step_index, reason, command)
                    VALUES (@id, @functionName, @alias, @updatedAt, @state, @stepIndex, @reason, @consumed)
                    """, parameters, transaction);
            }

            return updated;
        }, cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    public async Task<IReadOnlyList<DeploymentStepRecord>> ListDeploymentStepsAsync(
        string? functionName, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection => ReadList(connection, null,
            "SELECT deployment_id, function_name, alias, at, state, step_index, reason, command FROM deployment_steps " +
            "WHERE (@functionName IS NULL OR function_name = @functionName) AND at >= @since ORDER BY at DESC, id DESC LIMIT @limit",
            new { functionName, since = SqliteRows.ToUnixMs(since), limit }, ReadStep), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection => ReadSingle(connection, null,
            $"SELECT {DeploymentColumns} FROM deployments WHERE id = @id", new { id }, ReadDeployment), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? functionName, int limit, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection => ReadList(connection, null,
            $"SELECT {DeploymentColumns} FROM deployments WHERE (@functionName IS NULL OR function_name = @functionName) " +
            "ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { functionName, limit }, ReadDeployment), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Deployment>> ListActiveDeploymentsAsync(CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection => ReadList(connection, null,
            $"SELECT {DeploymentColumns} FROM deployments WHERE state IN ({s_activeStates}) ORDER BY created_at, id",
            null, ReadDeployment), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetDeploymentCommandAsync(string id, DeploymentCommand command, CancellationToken cancellationToken)
    {
        var rows = await DeploymentWriteAsync((connection, transaction) => connection.Execute(
            $"UPDATE deployments SET command = @command WHERE id = @id AND state IN ({s_activeStates})",
            new { id, command = command.ToString() }, transaction), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    public async Task<DeploymentCommand> GetDeploymentCommandAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        var text = await ReadAsync(connection => connection.ExecuteScalar<string?>(
            "SELECT command FROM deployments WHERE id = @id", new { id }), cancellationToken).ConfigureAwait(false);
        return Enum.TryParse<DeploymentCommand>(text, out var command) ? command : DeploymentCommand.None;
    }

    public async Task RecordHookResultAsync(string deploymentId, string hookExecutionId, HookStatus status, CancellationToken cancellationToken)
    {
        await DeploymentWriteAsync((connection, transaction) => connection.Execute(
            """
            INSERT INTO deployment_hook_results (deployment_id, hook_execution_id, status, reported_at)
            VALUES (@deploymentId, @hookExecutionId, @status, @now)
            ON CONFLICT (deployment_id, hook_execution_id) DO NOTHING
            """,
            new { deploymentId, hookExecutionId, status = status.ToString(), now = Now() }, transaction), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, HookStatus>> GetHookResultsAsync(string deploymentId, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ReadAsync(connection => connection.Query<(string Id, string Status)>(
            "SELECT hook_execution_id, status FROM deployment_hook_results WHERE deployment_id = @deploymentId",
            new { deploymentId }).ToList(), cancellationToken).ConfigureAwait(false);
        return rows.Where(r => Enum.TryParse<HookStatus>(r.Status, out _))
            .ToDictionary(r => r.Id, r => Enum.Parse<HookStatus>(r.Status), StringComparer.Ordinal);
    }

    public async Task SaveShadowReportAsync(string deploymentId, ShadowReport report, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(report, s_shadowReportJson);
        await DeploymentWriteAsync((connection, transaction) => connection.Execute(
            """
            INSERT INTO deployment_shadow_reports (deployment_id, report, updated_at) VALUES (@deploymentId, @json, @now)
            ON CONFLICT (deployment_id) DO UPDATE SET report = excluded.report, updated_at = excluded.updated_at
            """,
            new { deploymentId, json, now = Now() }, transaction), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShadowReport?> GetShadowReportAsync(string deploymentId, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        var json = await ReadAsync(connection => connection.ExecuteScalar<string?>(
            "SELECT report FROM deployment_shadow_reports WHERE deployment_id = @deploymentId", new { deploymentId }), cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ShadowReport>(json, s_shadowReportJson);
        }
        catch (JsonException)
        {
            return null; // a damaged row starts the counts again rather than stopping the deployment's every tick
        }
    }

    private async Task<T> DeploymentWriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await EnsureDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(write, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureDeploymentsAsync(CancellationToken cancellationToken)
    {
        if (_deploymentsReady)
        {
            return;
        }

        await WriteAsync((connection, transaction) => connection.Execute(DeploymentsSchema, transaction: transaction), cancellationToken).ConfigureAwait(false);
        _deploymentsReady = true;
    }

    private static object Parameters(Deployment d) => new
    {
        id = d.Id,
        functionName = d.FunctionName,
        alias = d.Alias,
        fromVersion = d.FromVersion,
        toVersion = d.ToVersion,
        strategy = JsonSerializer.Serialize(DeploymentStrategyParser.ToFields(d.Strategy), DeploymentJsonContext.Default.IReadOnlyDictionaryStringString),
        preTraffic = d.Hooks.PreTraffic,
        postTraffic = d.Hooks.PostTraffic,
        hookTimeoutMs = (long)d.Hooks.Timeout.TotalMilliseconds,
        alarms = JsonSerializer.Serialize(d.Alarms, DeploymentJsonContext.Default.IReadOnlyListString),
        maxBurnRate = d.BudgetGate?.MaxBurnRate,
        forced = d.Forced ? 1 : 0,
        state = d.State.ToString(),
        stepIndex = d.StepIndex,
        since = SqliteRows.ToUnixMs(d.Since),
        hookExecutionId = d.HookExecutionId,
        reason = d.Reason,
        createdAt = SqliteRows.ToUnixMs(d.CreatedAt),
        updatedAt = SqliteRows.ToUnixMs(d.UpdatedAt),
    };

    private static Deployment ReadDeployment(IDataRecord row)
    {
        var fields = JsonSerializer.Deserialize(row.GetString(5), DeploymentJsonContext.Default.IReadOnlyDictionaryStringString)
            ?? throw new InvalidDataException("deployment strategy is null");
        var strategy = DeploymentStrategyParser.Parse(fields).Strategy
            ?? throw new InvalidDataException($"stored deployment strategy is not valid: {row.GetString(5)}");
        var alarms = JsonSerializer.Deserialize(row.GetString(9), DeploymentJsonContext.Default.IReadOnlyListString) ?? [];
        return new Deployment(
            row.GetString(0),
            row.GetString(1),
            row.GetString(2),
            checked((int)row.GetInt64(3)),
            checked((int)row.GetInt64(4)),
            strategy,
            new DeploymentHooks(Text(row, 6), Text(row, 7), TimeSpan.FromMilliseconds(row.GetInt64(8))),
            alarms,
            row.IsDBNull(10) ? null : new BudgetGateSettings(row.GetDouble(10)),
            row.GetInt64(11) != 0,
            Enum.Parse<DeploymentState>(row.GetString(12)),
            checked((int)row.GetInt64(13)),
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(14)),
            Text(row, 15),
            Text(row, 16),
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(17)),
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(18)));
    }

    private static DeploymentStepRecord ReadStep(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)),
        Enum.Parse<DeploymentState>(row.GetString(4)),
        checked((int)row.GetInt64(5)),
        Text(row, 6),
        Enum.TryParse<DeploymentCommand>(row.GetString(7), out var command) ? command : DeploymentCommand.None);

    private static string? Text(IDataRecord row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
