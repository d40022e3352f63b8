using Microsoft.Extensions.DependencyInjection;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Schedules;

/// <summary>Registers schedules: their store and the loop that fires them (after the async queue, so it stops first).</summary>
public static class ScheduleServices
{
    public static IServiceCollection AddSchedules(this IServiceCollection services, SqliteStore store, string region)
    {
        services.AddSingleton(new SqliteScheduleStore(store, region));
        services.AddSingleton<ScheduleLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleLoop>());
        return services;
    }
}
