using System.Net;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Core.Idempotency;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>Built-in idempotency on a real server with real node workers, sync and async.</summary>
public sealed class IdempotencyTests : IClassFixture<SharedServer>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly IdempotencyConfig s_byOrder = new() { Key = "$.orderId", TtlSeconds = 3600 };
    private static readonly IdempotencyConfig s_byHeader = new() { Key = "header:Idempotency-Key", TtlSeconds = 3600 };
    private readonly HttpClient _client;

    public IdempotencyTests(SharedServer shared) => _client = shared.Nimbus.Client;

    [Fact]
    public async Task SyncDuplicateWithinTtl_GetsTheStoredResponseWithoutRunning()
    {
        var function = await RecorderFunction.DeployAsync(_client, "idem-replay", idempotency: s_byOrder);

        using var first = await InvokeAsync("idem-replay", """{"orderId":"A-1","tag":"first"}""");
        using var second = await InvokeAsync("idem-replay", """{"orderId":"A-1","tag":"second"}""");
        using var other = await InvokeAsync("idem-replay", """{"orderId":"A-2","tag":"other"}""");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Contains("\"first\"", firstBody, StringComparison.Ordinal);
        Assert.Equal(first.Headers.GetValues(NimbusHeaders.RequestId).Single(), second.Headers.GetValues(NimbusHeaders.IdempotentReplay).Single());
        Assert.False(other.Headers.Contains(NimbusHeaders.IdempotentReplay));
        Assert.Equal(2, (await function.AttemptsAsync()).Length);
    }

    [Fact]
    public async Task SyncDuplicateOfOneInProgress_Gets409IdempotencyConflict()
    {
        var function = await RecorderFunction.DeployAsync(_client, "idem-conflict", idempotency: s_byOrder);

        var slow = InvokeAsync("idem-conflict", """{"orderId":"B-1","sleepMs":3000}""");
        await function.WaitForAttemptsAsync(a => a.Length == 1, s_wait);
        using var duplicate = await InvokeAsync("idem-conflict", """{"orderId":"B-1"}""");
        using var lambda = await LambdaInvokeAsync("idem-conflict", """{"orderId":"B-1"}""");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using var problem = JsonDocument.Parse(await duplicate.Content.ReadAsStringAsync());
        Assert.Equal("IdempotencyConflict", problem.RootElement.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, lambda.StatusCode);
        Assert.Equal("IdempotencyConflict", lambda.Headers.GetValues(LambdaHeaders.ErrorType).Single());
        using var done = await slow;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Single(await function.AttemptsAsync());
    }

    [Fact]
    public async Task InProgressRecordOfATimedOutInvocation_ExpiresThenNotAtTheTtl()
    {
        var function = await RecorderFunction.DeployAsync(_client, "idem-timeout", idempotency: s_byOrder, timeoutSeconds: 1);

        using var timedOut = await InvokeAsync("idem-timeout", """{"orderId":"C-1","sleepMs":5000}""");
        using var again = await InvokeAsync("idem-timeout", """{"orderId":"C-1"}""");

        Assert.Equal("Unhandled", timedOut.Headers.GetValues(NimbusHeaders.FunctionError).Single());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(again.Headers.Contains(NimbusHeaders.FunctionError), "the retry after a timeout must run and succeed, not replay or conflict");
        Assert.Equal(2, (await function.AttemptsAsync()).Length);
    }

    [Fact]
    public async Task FunctionError_IsNotStored_TheNextCallRunsAgain()
    {
        var function = await RecorderFunction.DeployAsync(_client, "idem-error", idempotency: s_byOrder);

        using var failed = await InvokeAsync("idem-error", """{"orderId":"D-1","fail":true}""");
        using var retried = await InvokeAsync("idem-error", """{"orderId":"D-1"}""");
        using var replayed = await InvokeAsync("idem-error", """{"orderId":"D-1","fail":true}""");

        Assert.Equal("Unhandled", failed.Headers.GetValues(NimbusHeaders.FunctionError).Single());
        Assert.False(retried.Headers.Contains(NimbusHeaders.FunctionError));
        Assert.False(replayed.Headers.Contains(NimbusHeaders.FunctionError), "after the success, the stored success is replayed");
        Assert.Equal(2, (await function.AttemptsAsync()).Length);
    }

    [Fact]
    public async Task AsyncDuplicate_IsAckedWithoutRunning()
    {
        var audit = await RecorderFunction.DeployAsync(_client, "idem-audit");
        var function = await RecorderFunction.DeployAsync(_client, "idem-async", new AsyncConfig { OnSuccess = "function:idem-audit" }, idempotency: s_byOrder);

        var first = await PostEventAsync("idem-async", """{"orderId":"E-1","tag":"one"}""");
        await function.WaitForAttemptsAsync(a => a.Length == 1, s_wait);
        var duplicate = await PostEventAsync("idem-async", """{"orderId":"E-1","tag":"two"}""");

        // Each success (the replay included) sends its record to the audit function: both events were acked.
        await NimbusTestServer.EventuallyAsync(async () => (await audit.RecordsAsync()).Length == 2, s_wait);
        var acked = (await audit.RecordsAsync()).Select(r => r.RootElement.GetProperty("requestContext").GetProperty("requestId").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { first, duplicate }, acked);
        Assert.Equal([first], await function.AttemptsAsync());
    }

    [Fact]
    public async Task AsyncHeaderKey_IsKeptAtAcceptance_ADuplicateIsAckedWithoutRunning()
    {
        var audit = await RecorderFunction.DeployAsync(_client, "idem-header-audit");
        var function = await RecorderFunction.DeployAsync(_client, "idem-header", new AsyncConfig { OnSuccess = "function:idem-header-audit" },
            idempotency: s_byHeader);

        var first = await PostEventAsync("idem-header", """{"tag":"one"}""", "F-1");
        await function.WaitForAttemptsAsync(a => a.Length == 1, s_wait);
        var duplicate = await PostEventAsync("idem-header", """{"tag":"two"}""", "F-1");
        var other = await PostEventAsync("idem-header", """{"tag":"three"}""", "F-2");
        var unkeyed = await PostEventAsync("idem-header", """{"tag":"four"}""");

        // Four successes (the replay included) send four records; three events ran: F-1 once, F-2, and the unkeyed one.
        await NimbusTestServer.EventuallyAsync(async () => (await audit.RecordsAsync()).Length == 4, s_wait);
        var acked = (await audit.RecordsAsync()).Select(r => r.RootElement.GetProperty("requestContext").GetProperty("requestId").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { first, duplicate, other, unkeyed }, acked);
        var attempts = await function.AttemptsAsync();
        Assert.Equal(3, attempts.Length);
        Assert.Equal(new HashSet<string> { first, other, unkeyed }, attempts.ToHashSet());
    }

    [Fact]
    public async Task AsyncAndSyncCallsWithOneHeaderKey_ShareTheRecord()
    {
        var function = await RecorderFunction.DeployAsync(_client, "idem-header-sync", idempotency: s_byHeader);

        var queued = await PostEventAsync("idem-header-sync", """{"tag":"async"}""", "G-1");
        await function.WaitForAttemptsAsync(a => a.Length == 1, s_wait);
        var replayed = await NimbusTestServer.EventuallyAsync(async () =>
        {
            using var replay = await InvokeWithKeyAsync("idem-header-sync", """{"tag":"sync"}""", "G-1");
            return replay.Headers.TryGetValues(NimbusHeaders.IdempotentReplay, out var of) && of.Single() == queued;
        }, s_wait);

        Assert.True(replayed, "the sync call with the event's header key was not answered from the event's record");
        Assert.Equal([queued], await function.AttemptsAsync());
    }

    private async Task<HttpResponseMessage> InvokeWithKeyAsync(string name, string payload, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _client.SendAsync(request);
    }

    private Task<HttpResponseMessage> InvokeAsync(string name, string payload) =>
        _client.PostAsync($"/api/v1/functions/{name}/invoke", new StringContent(payload, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> LambdaInvokeAsync(string name, string payload) =>
        _client.PostAsync($"/2015-03-31/functions/{name}/invocations", new StringContent(payload, Encoding.UTF8, "application/json"));

    private async Task<string> PostEventAsync(string name, string payload, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.GetValues(NimbusHeaders.RequestId).Single();
    }
}
