using Nimbus.Core.Api;
using Nimbus.Core.Queues;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events.Queues;

/// <summary>Messages are durable: sent to one run of the server, consumed by the next.</summary>
public sealed class QueueRestartTests
{
    [Fact]
    public async Task MessagesSentBeforeARestart_AreConsumedAfterIt()
    {
        var directory = Path.Combine(Path.GetTempPath(), "nimbus-restart-" + Guid.NewGuid().ToString("n")[..12]);
        try
        {
            await using (var first = await NimbusTestServer.StartAsync(o => o with { DataDirectory = directory }))
            {
                var put = await first.Client.PutAsync("/api/v1/queues/durable",
                    System.Net.Http.Json.JsonContent.Create(new QueueConfigRequest(), options: NimbusTestServer.Json));
                await NimbusTestServer.EnsureSuccessAsync(put, "PUT queue durable");
                var send = await first.Client.PostAsync("/api/v1/queues/durable/messages", System.Net.Http.Json.JsonContent.Create(
                    new SendMessageRequest { Messages = [new() { Body = "a" }, new() { Body = "b" }, new() { Body = "c" }] }, options: NimbusTestServer.Json));
                await NimbusTestServer.EnsureSuccessAsync(send, "send to durable");
            }

            await using var second = await NimbusTestServer.StartAsync(o => o with { DataDirectory = directory });
            var recordFile = SharedScratch.NewFile("nimbus-events-restart");
            await second.DeployAsync("restart-consumer", RepoPaths.Fixture("event-recorder"), new FunctionConfigRequest
            {
                Runtime = "node",
                Handler = "index.handler",
                TimeoutSeconds = 10,
                Environment = new Dictionary<string, string> { ["RECORD_FILE"] = recordFile },
                Sources = [new EventSourceConfig { Queue = "durable" }],
            });

            var recorder = new EventRecorder("restart-consumer", recordFile);
            string[] bodies = [];
            var consumed = await NimbusTestServer.EventuallyAsync(async () =>
            {
                bodies = [.. (await recorder.EventsAsync()).SelectMany(e => e.RootElement.GetProperty("Records").EnumerateArray()).Select(r => r.GetProperty("body").GetString()!)];
                return bodies.Length >= 3;
            }, TimeSpan.FromSeconds(60));
            Assert.True(consumed, $"after the restart the consumer received [{string.Join(", ", bodies)}], expected a, b and c");
            Assert.Equal(["a", "b", "c"], bodies.Order());
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
