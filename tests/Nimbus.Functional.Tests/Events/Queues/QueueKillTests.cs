using System.Net.Http.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Queues;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events.Queues;

/// <summary>
/// A real <c>nimbus up</c> killed with SIGKILL while a consumer works through a queue: every accepted message is still
/// delivered after the restart (the in-flight ones once their visibility timeout ends).
/// </summary>
public sealed class QueueKillTests
{
    private const int Messages = 200;

    [Fact]
    public async Task KillNine_WithMessagesInFlight_LosesNone()
    {
        var nimbus = await NimbusProcess.StartAsync();
        var dataDirectory = nimbus.DataDirectory;
        var recordFile = SharedScratch.NewFile("nimbus-events-kill");
        var recorder = new EventRecorder("kill-consumer", recordFile);
        try
        {
            var put = await nimbus.Client.PutAsJsonAsync("/api/v1/queues/kill", new QueueConfigRequest { VisibilityTimeoutSeconds = 2 }, NimbusTestServer.Json);
            await NimbusTestServer.EnsureSuccessAsync(put, "PUT queue kill");
            var config = await nimbus.Client.PutAsJsonAsync("/api/v1/functions/kill-consumer", new FunctionConfigRequest
            {
                Runtime = "node",
                Handler = "index.handler",
                TimeoutSeconds = 1,
                Environment = new Dictionary<string, string> { ["RECORD_FILE"] = recordFile, ["SLEEP_MS"] = "150" },
                Sources = [new EventSourceConfig { Queue = "kill", MaximumConcurrency = 1 }],
            }, NimbusTestServer.Json);
            await NimbusTestServer.EnsureSuccessAsync(config, "PUT kill-consumer");

            using (var code = new ByteArrayContent(DeterministicZip.Create(RepoPaths.Fixture("event-recorder"))))
            {
                code.Headers.ContentType = new("application/zip");
                await NimbusTestServer.EnsureSuccessAsync(await nimbus.Client.PutAsync("/api/v1/functions/kill-consumer/code", code), "PUT code");
            }

            var bodies = Enumerable.Range(0, Messages).Select(i => $"k{i}").ToList();
            foreach (var chunk in bodies.Chunk(10))
            {
                var send = await nimbus.Client.PostAsJsonAsync("/api/v1/queues/kill/messages",
                    new SendMessageRequest { Messages = [.. chunk.Select(b => new SendMessageRequest { Body = b })] }, NimbusTestServer.Json);
                await NimbusTestServer.EnsureSuccessAsync(send, "send to kill");
            }

            await NimbusTestServer.EventuallyAsync(async () => (await recorder.EventsAsync()).Length >= 3, TimeSpan.FromSeconds(60));
            nimbus.Process.Kill(entireProcessTree: true);
            await nimbus.Process.WaitForExitAsync();
            nimbus.Dispose();
            var seenAtKill = Seen(await recorder.EventsAsync());
            Assert.True(seenAtKill.Count < Messages, "every message had been consumed when the platform was killed: the test proved nothing");

            nimbus = await NimbusProcess.StartAsync(dataDirectory);
            HashSet<string> seen = [];
            var all = await NimbusTestServer.EventuallyAsync(async () => (seen = Seen(await recorder.EventsAsync())).Count == Messages, TimeSpan.FromSeconds(120));
            var lost = bodies.Where(b => !seen.Contains(b)).ToList();
            Assert.True(all, $"after kill -9 ({seenAtKill.Count} consumed before it), {lost.Count} of {Messages} messages never arrived (e.g. {string.Join(", ", lost.Take(3))})");
        }
        finally
        {
            nimbus.Dispose();
        }
    }

    private static HashSet<string> Seen(System.Text.Json.JsonDocument[] events) =>
        [.. events.SelectMany(e => e.RootElement.GetProperty("Records").EnumerateArray()).Select(r => r.GetProperty("body").GetString()!)];
}
