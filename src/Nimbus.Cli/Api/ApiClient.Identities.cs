using System.Globalization;
using System.Net.Http.Json;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

internal sealed partial class ApiClient
{
    /// <param name="kind"><c>tokens</c> or <c>keys</c>.</param>
    public Task<CreatedIdentity> CreateIdentityAsync(string kind, CreateIdentityRequest request, CancellationToken cancellationToken) =>
        SendAsync<CreatedIdentity>(HttpMethod.Post, $"api/v1/{kind}", JsonContent.Create(request, options: ApiJson.Options), cancellationToken);

    public Task<IReadOnlyList<IdentityInfo>> ListIdentitiesAsync(string kind, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<IdentityInfo>>($"api/v1/{kind}", cancellationToken);

    public Task RevokeIdentityAsync(string kind, string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/{kind}/{Uri.EscapeDataString(id)}"), cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> GetAuditAsync(DateTimeOffset? since, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AuditRecord>>(
            since is { } from ? $"api/v1/audit?since={Uri.EscapeDataString(from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}" : "api/v1/audit",
            cancellationToken);
}
