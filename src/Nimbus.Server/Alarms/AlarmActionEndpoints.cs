using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Alarms;
using Nimbus.Core.Api;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary>
/// <c>POST|DELETE /api/v1/alarms/{name}/mute</c>, <c>POST /api/v1/alarms/{name}/test</c>,
/// <c>GET /api/v1/alarms/{name}/notifications</c>, <c>GET /api/v1/alarms/{name}/runbook</c>.
/// </summary>
public static class AlarmActionEndpoints
{
    public static readonly TimeSpan MaxMute = TimeSpan.FromDays(30);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/alarms/{name}/mute", MuteAsync);
        api.MapDelete("/alarms/{name}/mute", UnmuteAsync);
        api.MapPost("/alarms/{name}/test", TestAsync);
        api.MapGet("/alarms/{name}/notifications", NotificationsAsync);
        api.MapGet("/alarms/{name}/runbook", RunbookAsync);
    }

    private static async Task<Results<Ok<AlarmInfo>, ProblemHttpResult>> MuteAsync(
        string name, MuteRequest? body, SqliteAlarmStore alarms, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body?.For is not { } text || !MonitoringDuration.TryParse(text, out var length) || length <= TimeSpan.Zero || length > MaxMute)
        {
            return ApiProblems.BadRequest("Invalid 'for'",
                $"'for' must be a duration above zero and at most 30d (30m, 2h, 1d), was {(body?.For is null ? "missing" : $"'{body.For}'")}");
        }

        return await alarms.SetMutedUntilAsync(name, time.GetUtcNow() + length, cancellationToken) && await alarms.GetAsync(name, cancellationToken) is { } alarm
            ? TypedResults.Ok(AlarmInfo.From(alarm))
            : AlarmNotFound(name);
    }

    private static async Task<Results<Ok<AlarmInfo>, ProblemHttpResult>> UnmuteAsync(string name, SqliteAlarmStore alarms, CancellationToken cancellationToken) =>
        await alarms.SetMutedUntilAsync(name, null, cancellationToken) && await alarms.GetAsync(name, cancellationToken) is { } alarm
            ? TypedResults.Ok(AlarmInfo.From(alarm))
            : AlarmNotFound(name);

    private static async Task<Results<Accepted<AlarmTestResult>, ProblemHttpResult>> TestAsync(
        string name, SqliteAlarmStore alarms, AlarmNotifier notifier, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await alarms.GetAsync(name, cancellationToken) is not { } alarm)
        {
            return AlarmNotFound(name);
        }

        if (alarm.Definition.Notify.Count == 0)
        {
            return ApiProblems.Conflict("Alarm has no notification targets",
                $"Alarm {name} has nothing to notify; give it 'notify: [webhook:URL, slack:URL, function:NAME]' in nimbus.yaml and deploy");
        }

        var ids = await notifier.SendTestAsync(alarm, time.GetUtcNow(), cancellationToken);
        var queued = (await alarms.ListNotificationsAsync(name, Math.Max(ids.Count, 1) + 10, cancellationToken)).Where(d => ids.Contains(d.Id)).OrderBy(d => d.Id).ToList();
        return TypedResults.Accepted($"/api/v1/alarms/{Uri.EscapeDataString(name)}/notifications", new AlarmTestResult(name, queued));
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationDelivery>>, ProblemHttpResult>> NotificationsAsync(
        string name, string? limit, SqliteAlarmStore alarms, CancellationToken cancellationToken)
    {
        var count = AlarmEndpoints.DefaultHistoryLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > AlarmEndpoints.MaxHistoryLimit))
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"'limit' must be a whole number from 1 to {AlarmEndpoints.MaxHistoryLimit}, was '{limit}'");
        }

        if (await alarms.GetAsync(name, cancellationToken) is null)
        {
            return AlarmNotFound(name);
        }

        return TypedResults.Ok(await alarms.ListNotificationsAsync(name, count, cancellationToken));
    }

    private static async Task<Results<Ok<RunbookInfo>, ProblemHttpResult>> RunbookAsync(
        string name, SqliteAlarmStore alarms, INimbusStore store, AlarmNotifier notifier, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await alarms.GetAsync(name, cancellationToken) is not { } alarm)
        {
            return AlarmNotFound(name);
        }

        if (alarm.Definition.Runbook is { } own)
        {
            var isUrl = Uri.TryCreate(own.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
            return TypedResults.Ok(new RunbookInfo(name, isUrl ? own.Trim() : null, isUrl ? null : own, Generated: false));
        }

        var function = await store.GetFunctionAsync(alarm.Definition.Dimensions.Function, cancellationToken);
        var changes = await notifier.RecentChangesAsync(alarm.Definition.Dimensions.Function, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new RunbookInfo(name, null, RunbookGenerator.Generate(alarm, function?.Config, changes), Generated: true));
    }

    private static ProblemHttpResult AlarmNotFound(string name) => ApiProblems.NotFound("Alarm not found", $"Alarm not found: {name}");
}
