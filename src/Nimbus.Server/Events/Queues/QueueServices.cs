using Microsoft.Extensions.DependencyInjection;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>Registers named queues, event source pauses and the poller that runs event source mappings.</summary>
public static class QueueServices
{
    public static IServiceCollection AddQueues(this IServiceCollection services, SqliteStore store)
    {
        services.AddSingleton(new SqliteQueueStore(store));
        services.AddSingleton(new SqlitePauseStore(store));
        services.AddSingleton<EventSourceSignal>();
        services.AddSingleton<QueueSender>();
        services.AddSingleton<QueueDestination>();
        services.AddSingleton<EventSourcePoller>();
        services.AddHostedService(sp => sp.GetRequiredService<EventSourcePoller>());
        return services;
    }

    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api)
    {
        QueueEndpoints.Map(api);
        EventSourceEndpoints.Map(api);
    }
}
