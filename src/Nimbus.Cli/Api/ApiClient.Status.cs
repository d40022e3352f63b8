using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

internal sealed partial class ApiClient
{
    public Task<StatusInfo> GetStatusAsync(CancellationToken cancellationToken) =>
        GetAsync<StatusInfo>("api/v1/status", cancellationToken);
}
