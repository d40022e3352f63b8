using Microsoft.Extensions.DependencyInjection;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Invocations;

/// <summary>Registers built-in idempotency: its records in the store and the guard the <see cref="Invoker"/> consults.</summary>
public static class IdempotencyServices
{
    /// <summary>Call before the async events: the guard frees abandoned keys at start, before the queue processor runs events.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services, SqliteStore store)
    {
        services.AddSingleton(new SqliteIdempotencyStore(store));
        services.AddSingleton<IdempotencyGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyGuard>());
        return services;
    }
}
