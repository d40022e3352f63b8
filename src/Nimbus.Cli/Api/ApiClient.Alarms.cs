using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Timeline;

namespace Nimbus.Cli.Api;

/// <summary>Alarm actions, SLOs and the change timeline (docs/api.md, "Alarms", "SLOs", "Timeline").</summary>
internal sealed partial class ApiClient
{
    public Task<AlarmInfo> MuteAlarmAsync(string name, string duration, CancellationToken cancellationToken) =>
        SendAsync<AlarmInfo>(HttpMethod.Post, AlarmPath(name) + "/mute", JsonContent.Create(new MuteRequest(duration), options: ApiJson.Options), cancellationToken);

    public Task<AlarmInfo> UnmuteAlarmAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AlarmInfo>(HttpMethod.Delete, AlarmPath(name) + "/mute", null, cancellationToken);

    public Task<AlarmTestResult> TestAlarmAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AlarmTestResult>(HttpMethod.Post, AlarmPath(name) + "/test", null, cancellationToken);

    public Task<IReadOnlyList<NotificationDelivery>> ListAlarmNotificationsAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<NotificationDelivery>>(AlarmPath(name) + "/notifications", cancellationToken);

    public Task<RunbookInfo> GetRunbookAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<RunbookInfo>(AlarmPath(name) + "/runbook", cancellationToken);

    public Task<IReadOnlyList<SloStatus>> ListSloStatusAsync(string? function, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SloStatus>>("api/v1/slos" + (function is null ? "" : $"?function={Uri.EscapeDataString(function)}"), cancellationToken);

    public Task<IReadOnlyList<TimelineEvent>> GetTimelineAsync(string? function, string? since, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (function is not null)
        {
            query.Add($"function={Uri.EscapeDataString(function)}");
        }

        if (since is not null)
        {
            query.Add($"since={Uri.EscapeDataString(since)}");
        }

        return GetAsync<IReadOnlyList<TimelineEvent>>("api/v1/timeline" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), cancellationToken);
    }

    private static string AlarmPath(string name) => $"api/v1/alarms/{Uri.EscapeDataString(name)}";
}
