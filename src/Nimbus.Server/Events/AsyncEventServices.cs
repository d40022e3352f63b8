using Microsoft.Extensions.DependencyInjection;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events;

/// <summary>Registers the async event queue: acceptance (group commit), the processor and the Event branch of the endpoints.</summary>
public static class AsyncEventServices
{
    /// <summary>
    /// Call after the other hosted services: hosted services stop in reverse order, so the processor stops (and gives its
    /// leases back) first and the acceptor commits what it holds before the store goes away.
    /// </summary>
    public static IServiceCollection AddAsyncEvents(this IServiceCollection services, SqliteStore store, AsyncEventOptions options, TimeProvider time)
    {
        services.AddSingleton(options);
        services.AddSingleton(new SqliteEventQueue(store, time));
        services.AddSingleton<AsyncEventSignal>();
        services.AddSingleton<AsyncEventAcceptor>();
        services.AddSingleton<AsyncInvocationEntry>();
        services.AddSingleton<IAsyncEventInvoker, FrontDoorEventInvoker>();
        services.AddSingleton<FunctionDestination>();
        services.AddSingleton(new SqliteWebhookStore(store));
        services.AddSingleton<WebhookDeliverer>();
        services.AddSingleton<AsyncEventCounters>();
        services.AddSingleton<AsyncEventProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<AsyncEventAcceptor>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliverer>());
        services.AddHostedService(sp => sp.GetRequiredService<AsyncEventProcessor>());
        return services;
    }
}
