using System.Net;
using System.Text.Json;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Security;

/// <summary>Each instance gets its own AWS-style credentials; requests signed with them authenticate as that function.</summary>
public sealed class FunctionCredentialsTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public FunctionCredentialsTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private static (string Id, string Secret, string Session) CredentialsOf(InvokeResponse env)
    {
        var json = JsonDocument.Parse(env.Body).RootElement;
        return (json.GetProperty("AWS_ACCESS_KEY_ID").GetString()!, json.GetProperty("AWS_SECRET_ACCESS_KEY").GetString()!,
            json.GetProperty("AWS_SESSION_TOKEN").GetString()!);
    }

    [Fact]
    public async Task Instance_SigningWithItsCredentials_MayInvokeButNotManage_AndMustSendItsSessionToken()
    {
        // The caller's policy grants the call (default deny): this test is about who signed, the policy tests about what is allowed.
        await _nimbus.DeployAsync("creds-caller", RepoPaths.Fixture("behaviours-node"), new Nimbus.Core.Api.FunctionConfigRequest
        {
            Runtime = "node", Handler = "index.handler", Policy = [new("function:invoke", "creds-callee")],
        });
        await _nimbus.DeployNodeAsync("creds-callee");
        var (id, secret, session) = CredentialsOf(await _nimbus.InvokeAsync("creds-caller", new { action = "env" }));
        Assert.StartsWith("NSIA", id);

        using var anonymous = _nimbus.AnonymousClient();
        var lambda = new LambdaApiClient(anonymous);
        var withSession = await lambda.InvokeAsync("creds-callee", """{"action":"echo","from":"caller"}""",
            headers: new Dictionary<string, string> { ["X-Amz-Security-Token"] = session }, sign: (id, secret));
        var withoutSession = await lambda.InvokeAsync("creds-callee", """{"action":"echo"}""", sign: (id, secret));

        Assert.True(withSession.Status == HttpStatusCode.OK, $"signed with the instance's credentials: {withSession}");
        Assert.Equal(HttpStatusCode.Forbidden, withoutSession.Status);
        Assert.Equal("UnrecognizedClientException", withoutSession.ErrorType);

        using var manage = await anonymous.SendAsync(SignedGet(anonymous.BaseAddress!, "/api/v1/functions", id, secret, session));
        Assert.Equal(HttpStatusCode.Forbidden, manage.StatusCode);
        Assert.Contains("role 'function' lacks the permission 'function:read'", await manage.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage SignedGet(Uri baseAddress, string path, string id, string secret, string session)
    {
        var amzDate = DateTime.UtcNow.ToString(Core.Security.SigV4.SigV4Verifier.AmzDateFormat, System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["host"] = [baseAddress.Authority],
            ["x-amz-date"] = [amzDate],
            ["x-amz-security-token"] = [session],
        };
        var toSign = new Core.Security.SigV4.SigV4Request("GET", path, "", headers, Core.Security.SigV4.SigV4Signer.HashHex([]));
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", session);
        request.Headers.TryAddWithoutValidation("Authorization", Core.Security.SigV4.SigV4Signer.Authorization(
            toSign, ["host", "x-amz-date", "x-amz-security-token"], id, secret, amzDate, "us-east-1", "lambda"));
        return request;
    }

    [Fact]
    public async Task TwoInstances_GetDifferentCredentials_AndAnExitedInstancesStopWorking()
    {
        await _nimbus.DeployNodeAsync("creds-each", reserved: 2);
        var first = CredentialsOf(await _nimbus.InvokeAsync("creds-each", new { action = "env" }));

        // A crash ends the instance; the next invocation starts another.
        await _nimbus.InvokeAsync("creds-each", new { action = "crash" });
        var second = CredentialsOf(await _nimbus.InvokeAsync("creds-each", new { action = "env" }));

        Assert.NotEqual(first.Id, second.Id);
        var lambda = new LambdaApiClient(_nimbus.AnonymousClient());
        var stale = await lambda.InvokeAsync("creds-each", """{"action":"echo"}""",
            headers: new Dictionary<string, string> { ["X-Amz-Security-Token"] = first.Session }, sign: (first.Id, first.Secret));
        Assert.Equal(HttpStatusCode.Forbidden, stale.Status);
        Assert.Equal("UnrecognizedClientException", stale.ErrorType);
    }
}
