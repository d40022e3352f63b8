using Dapper;

namespace Nimbus.Server.Storage;

/// <summary>
/// Operator pauses of event sources, kept apart from the declared configuration so that a redeploy does not undo the
/// "pause the source" step of an incident, and a resume needs no redeploy.
/// </summary>
public sealed class SqlitePauseStore
{
    private readonly SqliteStore _store;

    public SqlitePauseStore(SqliteStore store) => _store = store;

    /// <summary>Pauses the function's mappings for <paramref name="queues"/>; returns how many were not paused before.</summary>
    public Task<int> PauseSourcesAsync(string functionName, IReadOnlyList<string> queues, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => queues.Sum(queue => connection.Execute(
            "INSERT INTO event_source_pauses (function_name, queue_name, paused_at) VALUES (@functionName, @queue, @now) ON CONFLICT DO NOTHING",
            new { functionName, queue, now = EventRows.ToUnixMs(now) }, transaction)), cancellationToken);

    /// <summary>Resumes the function's mappings for <paramref name="queue"/> (null: all of them); returns how many were paused.</summary>
    public Task<int> ResumeSourcesAsync(string functionName, string? queue, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "DELETE FROM event_source_pauses WHERE function_name = @functionName AND (@queue IS NULL OR queue_name = @queue)",
            new { functionName, queue }, transaction), cancellationToken);

    /// <summary>Every paused mapping, with when it was paused.</summary>
    public Task<IReadOnlyDictionary<(string Function, string Queue), DateTimeOffset>> ListSourcePausesAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyDictionary<(string, string), DateTimeOffset>>(connection => connection
            .Query<(string Function, string Queue, long PausedAt)>("SELECT function_name, queue_name, paused_at FROM event_source_pauses")
            .ToDictionary(r => (r.Function, r.Queue), r => DateTimeOffset.FromUnixTimeMilliseconds(r.PausedAt)), cancellationToken);

    /// <summary>
    /// Pauses the function's schedules: no tick fires while paused (ticks that pass are not caught up). Returns how many
    /// schedules were not paused before.
    /// </summary>
    public Task<int> PauseSchedulesAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "UPDATE schedules SET paused_at = @now, next_fire_at = NULL WHERE function_name = @functionName AND paused_at IS NULL",
            new { functionName, now = EventRows.ToUnixMs(now) }, transaction), cancellationToken);

    /// <summary>
    /// Resumes the function's schedules. Clearing the fingerprint makes the next schedule pass start each one afresh from
    /// its resume time, as it would a changed schedule, so a resume never fires a burst for the paused time.
    /// </summary>
    public Task<int> ResumeSchedulesAsync(string functionName, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "UPDATE schedules SET paused_at = NULL, fingerprint = '' WHERE function_name = @functionName AND paused_at IS NOT NULL",
            new { functionName }, transaction), cancellationToken);
}
