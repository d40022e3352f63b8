using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>The function:NAME destinations with real workers: Lambda's invocation record reaches the target function.</summary>
public sealed class AsyncDestinationTests : IClassFixture<SharedServer>
{
    private readonly HttpClient _client;

    public AsyncDestinationTests(SharedServer shared) => _client = shared.Nimbus.Client;

    [Fact]
    public async Task OnFailureFunction_GetsTheInvocationRecordInsteadOfTheDeadLetterQueue()
    {
        var audit = await RecorderFunction.DeployAsync(_client, "dest-fail-audit");
        await RecorderFunction.DeployAsync(_client, "dest-fail-source",
            new AsyncConfig { MaximumRetryAttempts = 0, OnFailure = "function:dest-fail-audit" }, fail: true);

        var requestId = await PostEventAsync("dest-fail-source", """{"tag":"order-7"}""");

        var record = await WaitForRecordAsync(audit);
        var root = record.RootElement;
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        var context = root.GetProperty("requestContext");
        Assert.Equal(requestId, context.GetProperty("requestId").GetString());
        Assert.Equal(AsyncConditions.RetriesExhausted, context.GetProperty("condition").GetString());
        Assert.Equal(1, context.GetProperty("approximateInvokeCount").GetInt32());
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:dest-fail-source:$LATEST", context.GetProperty("functionArn").GetString());
        Assert.Equal("order-7", root.GetProperty("requestPayload").GetProperty("tag").GetString());
        Assert.Equal("Unhandled", root.GetProperty("responseContext").GetProperty("functionError").GetString());
        Assert.Equal("OrderRejected", root.GetProperty("responsePayload").GetProperty("errorType").GetString());
        Assert.Empty((await _client.GetFromJsonAsync<DeadLetterInfo[]>("/api/v1/functions/dest-fail-source/dlq", NimbusTestServer.Json))!);
    }

    [Fact]
    public async Task OnSuccessFunction_GetsASuccessRecordWithTheResponse()
    {
        var audit = await RecorderFunction.DeployAsync(_client, "dest-ok-audit");
        await RecorderFunction.DeployAsync(_client, "dest-ok-source", new AsyncConfig { OnSuccess = "function:dest-ok-audit" });

        var requestId = await PostEventAsync("dest-ok-source", """{"tag":"fine"}""");

        var root = (await WaitForRecordAsync(audit)).RootElement;
        Assert.Equal(AsyncConditions.Success, root.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal(requestId, root.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.False(root.GetProperty("responseContext").TryGetProperty("functionError", out _));
        Assert.Equal("fine", root.GetProperty("responsePayload").GetProperty("tag").GetString());
    }

    private async Task<string> PostEventAsync(string name, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        using var response = await _client.SendAsync(request);
        await NimbusTestServer.EnsureSuccessAsync(response, $"event to {name}");
        return response.Headers.GetValues(NimbusHeaders.RequestId).Single();
    }

    private static async Task<JsonDocument> WaitForRecordAsync(RecorderFunction audit)
    {
        JsonDocument[] records = [];
        var arrived = await NimbusTestServer.EventuallyAsync(async () => (records = await audit.RecordsAsync()).Length > 0, TimeSpan.FromSeconds(30));
        Assert.True(arrived, $"{audit.Name} received no invocation record within 30 s");
        return Assert.Single(records);
    }
}
