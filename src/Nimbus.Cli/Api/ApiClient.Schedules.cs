using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

internal sealed partial class ApiClient
{
    public Task<IReadOnlyList<ScheduleInfo>> ListSchedulesAsync(string? function, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ScheduleInfo>>(function is null ? "api/v1/schedules" : $"api/v1/schedules?function={Uri.EscapeDataString(function)}", cancellationToken);
}
