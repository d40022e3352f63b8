using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Slos;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Alarms;

/// <summary>Registers alarms, notifications, SLOs and the change timeline, and maps their endpoints.</summary>
public static class AlarmServices
{
    public static IServiceCollection AddAlarms(this IServiceCollection services, SqliteAlarmStore alarms, string dataDirectory)
    {
        services.AddSingleton(alarms);
        services.AddSingleton<AlarmDatapointReader>();
        services.AddSingleton<AlarmSync>();
        services.AddSingleton<AlarmNotifier>();
        services.AddSingleton(WebhookSecret.LoadOrCreate(dataDirectory));
        services.AddSingleton<IAsyncFunctionInvoker, AcceptorFunctionInvoker>();
        services.AddSingleton(sp => new NotificationSender(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, sp.GetRequiredService<WebhookSecret>(), sp.GetRequiredService<IAsyncFunctionInvoker>()));
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddSingleton<AlarmEvaluationLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<AlarmEvaluationLoop>());
        services.AddSingleton<SloStatusService>();
        services.AddSingleton<FunctionHealthQuery>();
        services.AddSingleton<ITimelineSource, ControlPlaneTimelineSource>();
        services.AddSingleton<ITimelineSource, DeploymentTimelineSource>();
        services.AddSingleton<ITimelineSource, AlarmTimelineSource>();
        services.AddSingleton<ITimelineSource, ErrorGroupTimelineSource>();
        services.AddSingleton<ITimelineSource, AuditTimelineSource>();
        services.AddSingleton<TimelineService>();
        return services;
    }

    public static void MapAlarmEndpoints(IEndpointRouteBuilder api)
    {
        AlarmEndpoints.Map(api);
        AlarmActionEndpoints.Map(api);
        SloEndpoints.Map(api);
        TimelineEndpoints.Map(api);
    }
}
