namespace Nimbus.Core.Api;

/// <summary>What <c>POST /api/v1/alarms/{name}/test</c> queued: one delivery per target (see its notifications for outcomes).</summary>
public sealed record AlarmTestResult(string Alarm, IReadOnlyList<NotificationDelivery> Deliveries);
