using System.Text;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>Invokes with a payload sent byte for byte as written, where re-serialising it would change what is tested.</summary>
public static class RawInvoke
{
    public static async Task<InvokeResponse> InvokeRawAsync(this NimbusTestServer nimbus, string target, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await nimbus.Client.PostAsync($"/api/v1/functions/{target}/invoke", content);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new InvokeResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }
}
