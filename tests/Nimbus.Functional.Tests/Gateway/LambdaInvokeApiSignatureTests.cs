using System.Net;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>Lambda's invoke API with credentials configured: only requests signed with them (SigV4) get through.</summary>
public sealed class LambdaInvokeApiSignatureTests : IAsyncLifetime
{
    private static readonly (string, string) s_good = ("AKIDNIMBUSTEST", "nimbus-secret-for-tests");
    private NimbusTestServer _nimbus = null!;
    private LambdaApiClient _lambda = null!;

    public async Task InitializeAsync()
    {
        _nimbus = await NimbusTestServer.StartAsync(o => o with { LambdaCredentials = new Dictionary<string, string> { [s_good.Item1] = s_good.Item2 } });
        _lambda = new LambdaApiClient(_nimbus.AnonymousClient());
        await _nimbus.DeployNodeAsync("signed");
    }

    public async Task DisposeAsync() => await _nimbus.DisposeAsync();

    [Fact]
    public async Task Invoke_SignedWithConfiguredCredentials_IsAccepted()
    {
        var response = await _lambda.InvokeAsync("signed", """{"action":"echo","who":"signed"}""", sign: s_good);

        Assert.True(HttpStatusCode.OK == response.Status, $"correctly signed request: {response}");
        Assert.Equal("signed", response.Json.GetProperty("who").GetString());
    }

    [Fact]
    public async Task Invoke_SignedArnWithQualifierAndSignedHeaders_IsAccepted()
    {
        await _nimbus.PublishAsync("signed");

        // The ARN's colons travel as %3A and are signed double-encoded; the query and x-amz headers are signed too.
        var response = await _lambda.InvokeAsync("arn:aws:lambda:us-east-1:000000000000:function:signed", """{"action":"echo"}""", qualifier: "1",
            headers: new Dictionary<string, string> { [LambdaHeaders.LogType] = "Tail" }, sign: s_good);

        Assert.True(HttpStatusCode.OK == response.Status, $"signed ARN + qualifier: {response}");
        Assert.Equal("1", response.Header(LambdaHeaders.ExecutedVersion));
        Assert.NotNull(response.Header(LambdaHeaders.LogResult));
    }

    [Fact]
    public async Task Invoke_SignedWithWrongSecret_Is403InvalidSignature()
    {
        var response = await _lambda.InvokeAsync("signed", """{"action":"echo"}""", sign: (s_good.Item1, "not-the-secret"));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("InvalidSignatureException", response.ErrorType);
        Assert.Contains("does not match the signature you provided", response.Json.GetProperty("message").GetString());
        Assert.Empty(await _nimbus.InstancesAsync("signed"));
    }

    [Fact]
    public async Task Invoke_BodyDifferentFromTheSignedOne_Is403InvalidSignature()
    {
        var response = await _lambda.InvokeAsync("signed", """{"action":"echo","amount":1000}""", sign: s_good,
            signedBody: Encoding.UTF8.GetBytes("""{"action":"echo","amount":1}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("InvalidSignatureException", response.ErrorType);
    }

    [Fact]
    public async Task Invoke_Unsigned_Is403MissingAuthenticationToken()
    {
        var response = await _lambda.InvokeAsync("signed", """{"action":"echo"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("MissingAuthenticationTokenException", response.ErrorType);
        Assert.Empty(await _nimbus.InstancesAsync("signed"));
    }

    [Fact]
    public async Task Invoke_UnknownAccessKey_Is403UnrecognizedClient()
    {
        var response = await _lambda.InvokeAsync("signed", """{"action":"echo"}""", sign: ("AKIDSOMEONEELSE", s_good.Item2));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("UnrecognizedClientException", response.ErrorType);
    }

    [Fact]
    public async Task Invoke_UnsignedForAnUnknownFunction_Is403NotA404()
    {
        var response = await _lambda.InvokeAsync("does-it-exist", "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }
}
