using System.Net.Http.Json;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Queues;
using Nimbus.Functional.Tests.Infrastructure;
using RecorderFunction = Nimbus.Functional.Tests.Events.RecorderFunction;

namespace Nimbus.Functional.Tests.Events.Queues;

/// <summary>Queues consumed by real workers through event source mappings, on a fake clock.</summary>
public sealed class QueueSourceTests : IClassFixture<EventSourceServer>
{
    private readonly EventSourceServer _server;

    public QueueSourceTests(EventSourceServer server) => _server = server;

    private static string[] Bodies(JsonDocument batch) =>
        [.. batch.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("body").GetString()!)];

    [Fact]
    public async Task TwentyFiveMessages_AreConsumedInBatchesOfAtMostTen_WithTheSqsEventShape()
    {
        await _server.CreateQueueAsync("batches", new QueueConfigRequest());
        var recorder = await _server.DeployRecorderAsync("batch-consumer", [new EventSourceConfig { Queue = "batches", BatchSize = 10 }]);
        await _server.SetPausedAsync("batch-consumer", true);
        var bodies = Enumerable.Range(1, 25).Select(i => $"m{i}").ToArray();
        var sent = new List<SentMessage>();
        foreach (var chunk in bodies.Chunk(10))
        {
            sent.AddRange((await _server.SendAsync("batches", chunk)).Successful);
        }

        await _server.SetPausedAsync("batch-consumer", false);
        var batches = await _server.WaitForEventsAsync(recorder, 3, "consuming 25 messages");

        // Received as 10, 10 and 5; the batches run at once, so they may finish in any order.
        Assert.Equal([5, 10, 10], batches.Select(b => Bodies(b).Length).Order());
        Assert.Equal(bodies.Order(), batches.SelectMany(Bodies).Order());
        var record = batches[0].RootElement.GetProperty("Records")[0];
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:batches", record.GetProperty("eventSourceARN").GetString());
        Assert.Equal("1", record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());
        Assert.Contains(sent, s => s.MessageId == record.GetProperty("messageId").GetString() && s.Md5OfBody == record.GetProperty("md5OfBody").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("receiptHandle").GetString()));
        Assert.Equal(0, (await _server.QueueAsync("batches")).Depth);
    }

    [Fact]
    public async Task PartialBatchFailure_RedeliversOnlyTheFailedMessage_AfterTheVisibilityTimeout()
    {
        await _server.CreateQueueAsync("partial", new QueueConfigRequest { VisibilityTimeoutSeconds = 30 });
        var recorder = await _server.DeployRecorderAsync("partial-consumer",
            [new EventSourceConfig { Queue = "partial", ReportBatchItemFailures = true }]);
        await _server.SetPausedAsync("partial-consumer", true);
        await _server.SendAsync("partial", "ok-1", "fail-2", "ok-3");
        await _server.SetPausedAsync("partial-consumer", false);

        var first = await _server.WaitForEventsAsync(recorder, 1, "first delivery");
        Assert.Equal(["fail-2", "ok-1", "ok-3"], Bodies(first[0]).Order());
        var failedId = first[0].RootElement.GetProperty("Records").EnumerateArray().Single(r => r.GetProperty("body").GetString() == "fail-2")
            .GetProperty("messageId").GetString();
        var afterFirst = await _server.QueueAsync("partial");
        Assert.Equal((1, 1), (afterFirst.Depth, afterFirst.InFlight));

        _server.Time.Advance(TimeSpan.FromSeconds(31));
        var all = await _server.WaitForEventsAsync(recorder, 2, "redelivery after the visibility timeout");
        var again = Assert.Single(all[1].RootElement.GetProperty("Records").EnumerateArray());
        Assert.Equal(failedId, again.GetProperty("messageId").GetString());
        Assert.Equal("2", again.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());
    }

    [Fact]
    public async Task AMessageFailingPastMaxReceiveCount_LandsInTheQueuesDeadLetterQueue()
    {
        await _server.CreateQueueAsync("poison", new QueueConfigRequest { VisibilityTimeoutSeconds = 30, MaxReceiveCount = 2 });
        var recorder = await _server.DeployRecorderAsync("poison-consumer", [new EventSourceConfig { Queue = "poison" }]);
        await _server.SendAsync("poison", "crash");

        await _server.WaitForEventsAsync(recorder, 1, "first receive");
        _server.Time.Advance(TimeSpan.FromSeconds(31));
        await _server.WaitForEventsAsync(recorder, 2, "second receive");
        _server.Time.Advance(TimeSpan.FromSeconds(31));

        QueueInfo info = null!;
        var moved = await NimbusTestServer.EventuallyAsync(async () => (info = await _server.QueueAsync("poison")).DeadLettered == 1, TimeSpan.FromSeconds(30));
        Assert.True(moved, $"after 2 failed receives the queue shows depth {info.Depth} and {info.DeadLettered} dead-lettered, expected 0 and 1");
        Assert.Equal(0, info.Depth);
        Assert.Equal(2, (await recorder.EventsAsync()).Length);
        var letter = Assert.Single((await _server.Client.GetFromJsonAsync<QueueMessageInfo[]>("/api/v1/queues/poison/dead-letters", NimbusTestServer.Json))!);
        Assert.Equal("crash", letter.Body);
        Assert.Equal(2, letter.ReceiveCount);
    }

    [Fact]
    public async Task PausedSource_TakesNoMessages_AndResumeDeliversThem()
    {
        await _server.CreateQueueAsync("pausable", new QueueConfigRequest());
        var recorder = await _server.DeployRecorderAsync("pausable-consumer", [new EventSourceConfig { Queue = "pausable" }]);
        await _server.SetPausedAsync("pausable-consumer", true);
        var sources = (await _server.Client.GetFromJsonAsync<EventSourceInfo[]>("/api/v1/sources?function=pausable-consumer", NimbusTestServer.Json))!;
        Assert.Equal("Paused", Assert.Single(sources).State);

        await _server.SendAsync("pausable", "held");
        await _server.Poller.TickAsync(CancellationToken.None);
        var held = await _server.QueueAsync("pausable");
        Assert.Equal((1L, 1L, 0L, 0), (held.Depth, held.Visible, held.InFlight, _server.Poller.Running));
        Assert.Empty(await recorder.EventsAsync());

        await _server.SetPausedAsync("pausable-consumer", false);
        var events = await _server.WaitForEventsAsync(recorder, 1, "after resume");
        Assert.Equal(["held"], Bodies(events[0]));
    }

    [Fact]
    public async Task AConsumerWhoseTimeoutOutlastsTheVisibilityTimeout_IsRefusedWithTheReason()
    {
        await _server.CreateQueueAsync("short-visibility", new QueueConfigRequest { VisibilityTimeoutSeconds = 5 });
        var response = await _server.Client.PutAsJsonAsync("/api/v1/functions/too-slow", new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            TimeoutSeconds = 10,
            Sources = [new EventSourceConfig { Queue = "short-visibility" }],
        }, NimbusTestServer.Json);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("sources[0].queue", body, StringComparison.Ordinal);
        Assert.Contains("processed twice", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueueDestination_GetsTheInvocationRecordAsAMessage()
    {
        await _server.CreateQueueAsync("failures", new QueueConfigRequest());
        var audit = await _server.DeployRecorderAsync("failures-consumer", [new EventSourceConfig { Queue = "failures" }]);
        await RecorderFunction.DeployAsync(_server.Client, "queue-dest-source",
            new Nimbus.Core.Events.AsyncConfig { MaximumRetryAttempts = 0, OnFailure = "queue:failures" }, fail: true,
            policy: [new("queue:send", "failures")]);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/queue-dest-source/invoke")
        {
            Content = new StringContent("""{"tag":"order-9"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        using var response = await _server.Client.SendAsync(request);
        await NimbusTestServer.EnsureSuccessAsync(response, "event to queue-dest-source");
        var requestId = response.Headers.GetValues(NimbusHeaders.RequestId).Single();

        var events = await _server.WaitForEventsAsync(audit, 1, "the invocation record on queue failures");
        var body = Bodies(events[0]).Single();
        using var record = JsonDocument.Parse(body);
        Assert.Equal(requestId, record.RootElement.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.Equal("order-9", record.RootElement.GetProperty("requestPayload").GetProperty("tag").GetString());
        Assert.Equal("Unhandled", record.RootElement.GetProperty("responseContext").GetProperty("functionError").GetString());
        Assert.Empty((await _server.Client.GetFromJsonAsync<DeadLetterInfo[]>("/api/v1/functions/queue-dest-source/dlq", NimbusTestServer.Json))!);
    }

    [Fact]
    public async Task AQueueDestination_WithoutQueueSendInThePolicy_IsRefused_AndTheFailureIsDeadLettered()
    {
        await _server.CreateQueueAsync("denied-failures", new QueueConfigRequest());
        await RecorderFunction.DeployAsync(_server.Client, "queue-dest-denied",
            new Nimbus.Core.Events.AsyncConfig { MaximumRetryAttempts = 0, OnFailure = "queue:denied-failures" }, fail: true);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/queue-dest-denied/invoke")
        {
            Content = new StringContent("""{"tag":"order-10"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        using var response = await _server.Client.SendAsync(request);
        await NimbusTestServer.EnsureSuccessAsync(response, "event to queue-dest-denied");

        DeadLetterInfo[] letters = [];
        var dead = await NimbusTestServer.EventuallyAsync(async () =>
            (letters = (await _server.Client.GetFromJsonAsync<DeadLetterInfo[]>("/api/v1/functions/queue-dest-denied/dlq", NimbusTestServer.Json))!).Length == 1,
            TimeSpan.FromSeconds(30));
        Assert.True(dead, "the failure record should fall back to the DLQ when the policy lacks queue:send");
        var queue = await _server.Client.GetFromJsonAsync<QueueInfo>("/api/v1/queues/denied-failures", NimbusTestServer.Json);
        Assert.Equal(0L, queue!.Depth);
    }
}
