using System.Text.Json;
using Nimbus.Functional.Tests.Events.Queues;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>
/// Issue 8's "done when", through the real CLI against a real server: declare a queue, a source and a schedule in
/// nimbus.yaml, deploy, pause the source, send messages, see them wait, resume, see the function consume them.
/// </summary>
public sealed class CliQueueWalkthroughTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public CliQueueWalkthroughTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) =>
        CliInProcess.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()]);

    [Fact]
    public async Task DeployQueueAndSource_PauseSendResume_TheFunctionConsumesTheMessages()
    {
        var recordFile = SharedScratch.NewFile("nimbus-events-cli");
        var manifest = Path.Combine(Path.GetTempPath(), $"queues-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            queues:
              signups:
                visibilityTimeout: 30
                retention: 4d
                maxReceiveCount: 5
            functions:
              welcome:
                runtime: node
                handler: index.handler
                code: {RepoPaths.Fixture("event-recorder")}
                environment:
                  RECORD_FILE: {recordFile}
                sources:
                  - queue: signups
                    batchSize: 10
                    maximumConcurrency: 2
                    reportBatchItemFailures: true
                schedules:
                  - rate(1 day)
            """);

        var deploy = await RunAsync("deploy", "-f", manifest);
        Assert.True(deploy.Exit == 0, $"deploy: {deploy.Error}");
        var pause = await RunAsync("sources", "pause", "welcome");
        Assert.True(pause.Exit == 0, $"sources pause: {pause.Error}");
        Assert.Contains("paused 1 source of welcome", pause.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("queues", "send", "signups", "--body", "ada", "--attribute", "kind=welcome")).Exit);
        Assert.Equal(0, (await RunAsync("queues", "send", "signups", "--body", "grace")).Exit);
        var waiting = await RunAsync("queues", "get", "signups", "--output", "json");
        using (var info = JsonDocument.Parse(waiting.Out))
        {
            Assert.Equal(2, info.RootElement.GetProperty("depth").GetInt64());
            Assert.Equal(0, info.RootElement.GetProperty("inFlight").GetInt64());
        }

        var sources = await RunAsync("sources", "list", "welcome", "--output", "json");
        using (var list = JsonDocument.Parse(sources.Out))
        {
            Assert.Equal("Paused", list.RootElement[0].GetProperty("state").GetString());
        }

        Assert.Equal(0, (await RunAsync("sources", "resume", "welcome")).Exit);
        var recorder = new EventRecorder("welcome", recordFile);
        string[] bodies = [];
        var consumed = await NimbusTestServer.EventuallyAsync(async () =>
        {
            bodies = [.. (await recorder.EventsAsync()).SelectMany(e => e.RootElement.GetProperty("Records").EnumerateArray()).Select(r => r.GetProperty("body").GetString()!)];
            return bodies.Length >= 2;
        }, TimeSpan.FromSeconds(60));
        Assert.True(consumed, $"after resume welcome received [{string.Join(", ", bodies)}], expected ada and grace");
        Assert.Equal(["ada", "grace"], bodies.Order());

        var table = await RunAsync("queues", "list");
        Assert.Contains("signups", table.Out, StringComparison.Ordinal);
        var schedulesPause = await RunAsync("schedules", "pause", "welcome");
        Assert.True(schedulesPause.Exit == 0, $"schedules pause: {schedulesPause.Error}");
        using var schedules = JsonDocument.Parse((await RunAsync("schedules", "list", "welcome", "--output", "json")).Out);
        Assert.True(schedules.RootElement[0].GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task SendToAnUnknownQueue_IsOneLineAndANonZeroExit()
    {
        var (exit, _, error) = await RunAsync("queues", "send", "no-such-queue", "--body", "x");
        Assert.NotEqual(0, exit);
        Assert.Contains("Queue not found: no-such-queue", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
