using System.Text.Json;
using Dapper;
using Nimbus.Core.Errors;

namespace Nimbus.Server.Storage;

/// <summary>Error groups: one row per function and fingerprint, with counts per version.</summary>
public sealed partial class SqliteObservabilityStore
{
    /// <summary>Groups not seen for this long are deleted by <see cref="PruneErrorGroupsAsync"/>.</summary>
    public static readonly TimeSpan ErrorGroupRetention = TimeSpan.FromDays(30);

    private const string GroupColumns =
        "id AS Id, function AS Function, fingerprint AS Fingerprint, error_type AS ErrorType, message AS Message, stack_trace AS StackTrace, " +
        "count AS Count, first_seen AS FirstSeen, last_seen AS LastSeen, first_version AS FirstVersion, sample_request_id AS SampleRequestId, " +
        "sample_trace_id AS SampleTraceId";

    /// <summary>Merges occurrences into their groups: counts add, first seen keeps the earliest, the latest error becomes the sample.</summary>
    public Task MergeErrorsAsync(IReadOnlyList<ErrorOccurrence> occurrences, CancellationToken cancellationToken)
    {
        if (occurrences.Count == 0)
        {
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Write((connection, transaction) =>
        {
            foreach (var o in occurrences)
            {
                var parameters = new
                {
                    function = o.FunctionName,
                    fingerprint = o.Fingerprint,
                    errorType = o.ErrorType,
                    message = o.Message,
                    stackTrace = JsonSerializer.Serialize(o.StackTrace),
                    count = o.Count,
                    firstSeen = o.FirstSeen.ToUnixTimeMilliseconds(),
                    lastSeen = o.LastSeen.ToUnixTimeMilliseconds(),
                    version = o.Version,
                    requestId = o.SampleRequestId,
                    traceId = o.SampleTraceId,
                };
                var id = connection.ExecuteScalar<long>(
                    """
                    INSERT INTO error_groups (function, fingerprint, error_type, message, stack_trace, count, first_seen, last_seen, first_version, sample_request_id, sample_trace_id)
                    VALUES (@function, @fingerprint, @errorType, @message, @stackTrace, @count, @firstSeen, @lastSeen, @version, @requestId, @traceId)
                    ON CONFLICT (function, fingerprint) DO UPDATE SET
                        count = count + excluded.count,
                        first_version = CASE WHEN excluded.first_seen < first_seen THEN excluded.first_version ELSE first_version END,
                        first_seen = min(first_seen, excluded.first_seen),
                        message = CASE WHEN excluded.last_seen >= last_seen THEN excluded.message ELSE message END,
                        stack_trace = CASE WHEN excluded.last_seen >= last_seen THEN excluded.stack_trace ELSE stack_trace END,
                        sample_request_id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.sample_request_id ELSE sample_request_id END,
                        sample_trace_id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.sample_trace_id ELSE sample_trace_id END,
                        last_seen = max(last_seen, excluded.last_seen)
                    RETURNING id
                    """, parameters, transaction);
                connection.Execute(
                    """
                    INSERT INTO error_group_versions (group_id, version, count, first_seen, last_seen) VALUES (@id, @version, @count, @firstSeen, @lastSeen)
                    ON CONFLICT DO UPDATE SET count = count + excluded.count, first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                    """, new { id, parameters.version, parameters.count, parameters.firstSeen, parameters.lastSeen }, transaction);
            }

            return occurrences.Count;
        });
        return Task.CompletedTask;
    }

    /// <summary>A function's error groups, most recently seen first.</summary>
    public Task<IReadOnlyList<ErrorGroupInfo>> ListErrorGroupsAsync(string function, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ErrorGroupInfo> groups = Read(connection => ReadGroups(connection,
            $"SELECT {GroupColumns} FROM error_groups WHERE function = @function ORDER BY last_seen DESC, id DESC LIMIT @limit", new { function, limit }));
        return Task.FromResult(groups);
    }

    public Task<ErrorGroupInfo?> GetErrorGroupAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(connection => ReadGroups(connection, $"SELECT {GroupColumns} FROM error_groups WHERE id = @id", new { id }).SingleOrDefault()));
    }

    /// <summary>Deletes groups last seen longer ago than <see cref="ErrorGroupRetention"/>; returns how many.</summary>
    public Task<int> PruneErrorGroupsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write((connection, transaction) =>
            connection.Execute("DELETE FROM error_groups WHERE last_seen < @cutoff", new { cutoff = (now - ErrorGroupRetention).ToUnixTimeMilliseconds() }, transaction)));
    }

    private static List<ErrorGroupInfo> ReadGroups(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, object parameters)
    {
        var rows = connection.Query<GroupRow>(sql, parameters).ToList();
        var versions = connection.Query<VersionRow>(
            "SELECT group_id AS GroupId, version AS Version, count AS Count, first_seen AS FirstSeen, last_seen AS LastSeen FROM error_group_versions WHERE group_id IN @ids ORDER BY first_seen",
            new { ids = rows.Select(r => r.Id).ToArray() }).ToLookup(v => v.GroupId);
        return [.. rows.Select(r => new ErrorGroupInfo(
            r.Id, r.Function, r.Fingerprint, r.ErrorType, r.Message, r.Count,
            DateTimeOffset.FromUnixTimeMilliseconds(r.FirstSeen), DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeen), r.FirstVersion,
            r.SampleRequestId, r.SampleTraceId,
            JsonSerializer.Deserialize<string[]>(r.StackTrace) ?? [],
            [.. versions[r.Id].Select(v => new ErrorVersionCount(v.Version, v.Count,
                DateTimeOffset.FromUnixTimeMilliseconds(v.FirstSeen), DateTimeOffset.FromUnixTimeMilliseconds(v.LastSeen)))]))];
    }

    private sealed record GroupRow(long Id, string Function, string Fingerprint, string ErrorType, string Message, string StackTrace, long Count,
        long FirstSeen, long LastSeen, string FirstVersion, string? SampleRequestId, string? SampleTraceId);

    private sealed record VersionRow(long GroupId, string Version, long Count, long FirstSeen, long LastSeen);
}
