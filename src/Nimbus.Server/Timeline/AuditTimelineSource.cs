using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>
/// Every management action on a function from the audit log, with who made it: the answer to "who changed it?". The
/// control-plane source shows what the tables hold now (latest update per function); this one shows each action.
/// </summary>
public sealed class AuditTimelineSource(SqliteAuditLog audit) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        (await audit.QueryChangesAsync(function, since, limit, cancellationToken).ConfigureAwait(false))
            .Where(AuditChanges.IsChange)
            .Select(AuditChanges.ToEvent)
            .ToList();
}
