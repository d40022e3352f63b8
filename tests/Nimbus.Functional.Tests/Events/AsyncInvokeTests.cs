using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>Async invocations on a real server with real node workers: accept, run, retry, dead-letter, redrive.</summary>
public sealed class AsyncInvokeTests : IClassFixture<SharedServer>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly NimbusTestServer _nimbus;
    private readonly HttpClient _client;

    public AsyncInvokeTests(SharedServer shared)
    {
        _nimbus = shared.Nimbus;
        _client = shared.Nimbus.Client;
    }

    [Fact]
    public async Task NativeEventInvoke_Answers202WithTheRequestIdThenTheEventRunsWithIt()
    {
        var function = await RecorderFunction.DeployAsync(_client, "async-native");

        var response = await PostEventAsync("async-native", """{"tag":"a"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requestId = response.Headers.GetValues(NimbusHeaders.RequestId).Single();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(requestId, body.RootElement.GetProperty("requestId").GetString());
        var attempts = await function.WaitForAttemptsAsync(a => a.Length > 0, s_wait);
        Assert.Equal([requestId], attempts);
    }

    [Fact]
    public async Task LambdaEventInvoke_Answers202WithAmznRequestIdThenTheEventRuns()
    {
        var function = await RecorderFunction.DeployAsync(_client, "async-lambda");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/async-lambda/invocations")
        {
            Content = new StringContent("""{"tag":"l"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(LambdaHeaders.InvocationType, "Event");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var requestId = response.Headers.GetValues(LambdaHeaders.AmzRequestId).Single();
        Assert.Equal([requestId], await function.WaitForAttemptsAsync(a => a.Length > 0, s_wait));
    }

    [Fact]
    public async Task FunctionConfig_AsyncSettings_AreValidatedStoredAndShown()
    {
        await RecorderFunction.DeployAsync(_client, "async-config", new AsyncConfig { MaximumRetryAttempts = 1, RetryDelaysSeconds = [1, 2] });
        var invalid = await _client.PutAsJsonAsync("/api/v1/functions/async-config-bad",
            new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", Async = new AsyncConfig { MaximumRetryAttempts = 3 } }, NimbusTestServer.Json);

        var shown = await _client.GetFromJsonAsync<FunctionInfo>("/api/v1/functions/async-config", NimbusTestServer.Json);

        Assert.Equal(1, shown!.Async!.MaximumRetryAttempts);
        Assert.Equal([1.0, 2.0], shown.Async.RetryDelaysSeconds);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("async.maximumRetryAttempts", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EventInvoke_UnknownFunction_Is404AndNothingIsQueued()
    {
        var response = await PostEventAsync("async-missing", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EventInvoke_PayloadOver256KB_Is413OnBothApis()
    {
        await RecorderFunction.DeployAsync(_client, "async-big");
        var big = "{\"pad\":\"" + new string('x', 256 * 1024) + "\"}";

        var native = await PostEventAsync("async-big", big);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/async-big/invocations")
        {
            Content = new StringContent(big, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(LambdaHeaders.InvocationType, "Event");
        var lambda = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, native.StatusCode);
        Assert.Contains("262144 bytes", await native.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, lambda.StatusCode);
        Assert.Equal("RequestTooLargeException", lambda.Headers.GetValues(LambdaHeaders.ErrorType).Single());
    }

    [Fact]
    public async Task EventInvoke_BeyondTheFunctionsQueueDepth_Is429QueueFull()
    {
        // Two slow events hold the queue's two places while the third arrives.
        await RecorderFunction.DeployAsync(_client, "async-full", new AsyncConfig { MaximumQueueDepth = 2 });

        var first = await PostEventAsync("async-full", """{"sleepMs":5000}""");
        var second = await PostEventAsync("async-full", """{"sleepMs":5000}""");
        var third = await PostEventAsync("async-full", """{"sleepMs":5000}""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        using var problem = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
        Assert.Equal("QueueFull", problem.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task FailingEvent_IsRetriedAfterTheConfiguredDelayThenDeadLetteredWithItsHistory_AndRedriveRunsItAgain()
    {
        var config = new AsyncConfig { MaximumRetryAttempts = 1, RetryDelaysSeconds = [1] };
        var function = await RecorderFunction.DeployAsync(_client, "async-fail", config, fail: true);
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        var accepted = await PostEventAsync("async-fail", """{"tag":"f"}""", traceParent);
        var requestId = accepted.Headers.GetValues(NimbusHeaders.RequestId).Single();

        var letters = await WaitForDeadLettersAsync("async-fail", 1);
        var letter = Assert.Single(letters);
        Assert.Equal(requestId, letter.RequestId);
        Assert.Equal(AsyncConditions.RetriesExhausted, letter.Condition);
        Assert.Equal("OrderRejected", letter.ErrorType);
        Assert.Equal("failed on purpose", letter.ErrorMessage);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", letter.TraceId);
        Assert.Equal("""{"tag":"f"}""", letter.Payload);
        Assert.Equal(2, letter.Attempts.Count);
        Assert.All(letter.Attempts, a => Assert.Equal(AsyncAttemptOutcome.FunctionError, a.Outcome));
        Assert.All(letter.Attempts, a => Assert.Equal(requestId, a.RequestId));
        var gap = letter.Attempts[1].StartedAt - letter.Attempts[0].StartedAt;
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"the retry came {gap} after the first attempt; the configured delay is 1 s");
        Assert.Equal([requestId, requestId], await function.AttemptsAsync());

        var shown = await _client.GetFromJsonAsync<DeadLetterInfo>($"/api/v1/functions/async-fail/dlq/{letter.Id}", NimbusTestServer.Json);
        Assert.Equal(letter.RequestId, shown!.RequestId);

        await function.ConfigureAsync(_client, config, fail: false);
        var redrive = await _client.PostAsJsonAsync("/api/v1/functions/async-fail/dlq/redrive", new { id = letter.Id });
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(1, (await redrive.Content.ReadFromJsonAsync<DeadLetterCount>(NimbusTestServer.Json))!.Count);

        var attempts = await function.WaitForAttemptsAsync(a => a.Length >= 3, s_wait);
        Assert.Equal([requestId, requestId, requestId], attempts);
        Assert.Empty(await DeadLettersAsync("async-fail"));
    }

    [Fact]
    public async Task ThrottledEvents_WaitAndAllRunWithoutUsingRetries()
    {
        // Reserved concurrency 1 and no retries: the events that find the one instance busy are throttled, which is
        // not a failure, so they wait and run later instead of being dead-lettered.
        var function = await RecorderFunction.DeployAsync(_client, "async-throttled", new AsyncConfig { MaximumRetryAttempts = 0 }, reserved: 1);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var accepted = await PostEventAsync("async-throttled", $$"""{"tag":"t{{i}}","sleepMs":300}""");
            ids.Add(accepted.Headers.GetValues(NimbusHeaders.RequestId).Single());
        }

        var attempts = await function.WaitForAttemptsAsync(a => ids.All(a.Contains), TimeSpan.FromSeconds(90));

        Assert.Equal(ids.Order(), attempts.Distinct().Order());
        Assert.Empty(await DeadLettersAsync("async-throttled"));
    }

    [Fact]
    public async Task ZeroReservedConcurrency_SendsTheEventStraightToTheDeadLetterQueue()
    {
        var function = await RecorderFunction.DeployAsync(_client, "async-off");
        var config = (await _client.GetFromJsonAsync<FunctionInfo>("/api/v1/functions/async-off", NimbusTestServer.Json))!;
        var put = await _client.PutAsJsonAsync("/api/v1/functions/async-off", new FunctionConfigRequest
        {
            Runtime = config.Runtime, Handler = config.Handler, Environment = new(config.Environment), ReservedConcurrency = 0,
        }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "reserve 0");

        await PostEventAsync("async-off", "{}");

        var letter = Assert.Single(await WaitForDeadLettersAsync("async-off", 1));
        Assert.Equal(AsyncConditions.ZeroReservedConcurrency, letter.Condition);
        Assert.Single(letter.Attempts);
        Assert.Empty(await function.AttemptsAsync());
    }

    [Fact]
    public async Task DeadLetterApi_RedriveWithoutIdOrAll_IsABadRequestAndPurgeEmptiesTheQueue()
    {
        await RecorderFunction.DeployAsync(_client, "async-purge", new AsyncConfig { MaximumRetryAttempts = 0 }, fail: true);
        await PostEventAsync("async-purge", "{}");
        await PostEventAsync("async-purge", "{}");
        await WaitForDeadLettersAsync("async-purge", 2);

        var invalid = await _client.PostAsJsonAsync("/api/v1/functions/async-purge/dlq/redrive", new { });
        var purge = await _client.DeleteAsync("/api/v1/functions/async-purge/dlq");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(2, (await purge.Content.ReadFromJsonAsync<DeadLetterCount>(NimbusTestServer.Json))!.Count);
        Assert.Empty(await DeadLettersAsync("async-purge"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/functions/async-nobody/dlq")).StatusCode);
    }

    private async Task<HttpResponseMessage> PostEventAsync(string name, string payload, string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        return await _client.SendAsync(request);
    }

    private async Task<DeadLetterInfo[]> DeadLettersAsync(string name) =>
        (await _client.GetFromJsonAsync<DeadLetterInfo[]>($"/api/v1/functions/{name}/dlq", NimbusTestServer.Json))!;

    private async Task<DeadLetterInfo[]> WaitForDeadLettersAsync(string name, int count)
    {
        DeadLetterInfo[] letters = [];
        var arrived = await NimbusTestServer.EventuallyAsync(async () => (letters = await DeadLettersAsync(name)).Length >= count, s_wait);
        Assert.True(arrived, $"{name}: expected {count} dead letters within {s_wait}, found {letters.Length}");
        return letters;
    }
}
