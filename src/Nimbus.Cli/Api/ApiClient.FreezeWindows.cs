using System.Net.Http.Json;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Api;

internal sealed partial class ApiClient
{
    public Task<IReadOnlyList<FreezeWindow>> ListFreezeWindowsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<FreezeWindow>>("api/v1/freeze-windows", cancellationToken);

    public Task<FreezeWindow> AddFreezeWindowAsync(FreezeWindowRequest request, CancellationToken cancellationToken) =>
        SendAsync<FreezeWindow>(HttpMethod.Post, "api/v1/freeze-windows", JsonContent.Create(request, options: ApiJson.Options), cancellationToken);

    public Task RemoveFreezeWindowAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/freeze-windows/{Uri.EscapeDataString(id)}"), cancellationToken);
}
