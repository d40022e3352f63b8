using System.Globalization;
using System.Text;
using Nimbus.Core.Security.SigV4;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>Calls <c>POST /2015-03-31/functions/{name}/invocations</c> the way an AWS SDK would, signed or not.</summary>
public sealed class LambdaApiClient
{
    private readonly HttpClient _client;

    public LambdaApiClient(HttpClient client) => _client = client;

    /// <param name="functionName">Put in the path as botocore does: percent-encoded (an ARN's colons become %3A).</param>
    /// <param name="sign">Access key id and secret to sign with (SigV4, service lambda); null sends an unsigned request.</param>
    /// <param name="signedBody">When given, the signature covers these bytes while <paramref name="body"/> is sent.</param>
    public async Task<LambdaResponse> InvokeAsync(string functionName, string? body, string? qualifier = null,
        IReadOnlyDictionary<string, string>? headers = null, (string AccessKey, string Secret)? sign = null, byte[]? signedBody = null)
    {
        var path = $"/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations";
        var query = qualifier is null ? "" : "Qualifier=" + Uri.EscapeDataString(qualifier);
        using var request = new HttpRequestMessage(HttpMethod.Post, path + (query.Length == 0 ? "" : "?" + query));
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        request.Content = new ByteArrayContent(bytes);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (sign is { } credentials)
        {
            var amzDate = DateTime.UtcNow.ToString(SigV4Verifier.AmzDateFormat, CultureInfo.InvariantCulture);
            var host = _client.BaseAddress!.Authority;
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            var signedHeaders = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["host"] = [host],
                ["x-amz-date"] = [amzDate],
            };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                signedHeaders[name] = [value];
            }

            var toSign = new SigV4Request("POST", path, query, signedHeaders, SigV4Signer.HashHex(signedBody ?? bytes));
            var names = signedHeaders.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
            request.Headers.TryAddWithoutValidation("Authorization",
                SigV4Signer.Authorization(toSign, names, credentials.AccessKey, credentials.Secret, amzDate, "us-east-1", "lambda"));
        }

        using var response = await _client.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new LambdaResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), all);
    }
}
