using Nimbus.Core.Api;
using Nimbus.Core.Security;

namespace Nimbus.Core.Timeline;

/// <summary>
/// Which audit records are changes on the timeline and how they read: a management action on a function that was
/// allowed and succeeded (an answer below 400), shown with who made it. Refusals and failed attempts stay in the audit
/// log (<c>nimbus audit</c>); they changed nothing. Pure.
/// </summary>
public static class AuditChanges
{
    public const string Source = "audit";

    public static bool IsChange(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Function is not null && record.Outcome == AuditOutcomes.Allowed && record.Status is >= 200 and < 400;
    }

    /// <summary>The record as a timeline event: <c>function:deploy PUT /api/v1/functions/orders by ops-token (admin)</c>.</summary>
    public static TimelineEvent ToEvent(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var who = record.IdentityId ?? "an anonymous caller";
        var role = record.Role is null ? "" : $" ({record.Role})";
        return new TimelineEvent(record.Time, record.Function ?? "", TimelineKinds.ManagementAction, $"{record.Action} {record.Target} by {who}{role}",
            record.IdentityId, Source);
    }
}
