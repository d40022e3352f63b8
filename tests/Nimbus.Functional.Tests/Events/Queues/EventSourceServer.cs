using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Api;
using Nimbus.Core.Queues;
using Nimbus.Core.Schedules;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Events.Queues;

namespace Nimbus.Functional.Tests.Events.Queues;

/// <summary>
/// A real server on a fake clock (starting at the real now, so deadlines handed to workers are sane), shared by the
/// tests of a class: visibility timeouts and schedule ticks pass when a test advances the clock, never by sleeping.
/// Workers are real processes; a test only advances the clock while no batch runs, so no function deadline passes.
/// </summary>
public sealed class EventSourceServer : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public NimbusTestServer Nimbus { get; private set; } = null!;

    public HttpClient Client => Nimbus.Client;

    public EventSourcePoller Poller => Nimbus.Server.Services.GetRequiredService<EventSourcePoller>();

    public async Task InitializeAsync() => Nimbus = await NimbusTestServer.StartAsync(o => o with { TimeProvider = Time });

    public async Task DisposeAsync() => await Nimbus.DisposeAsync();

    public async Task CreateQueueAsync(string name, QueueConfigRequest config)
    {
        var response = await Client.PutAsJsonAsync($"/api/v1/queues/{name}", config, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(response, $"PUT queue {name}");
    }

    /// <summary>Deploys the event-recorder fixture; returns the file it appends each event to.</summary>
    public async Task<EventRecorder> DeployRecorderAsync(string name, List<EventSourceConfig>? sources = null, List<ScheduleConfig>? schedules = null)
    {
        var recordFile = SharedScratch.NewFile($"nimbus-events-{name}");
        await Nimbus.DeployAsync(name, RepoPaths.Fixture("event-recorder"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            TimeoutSeconds = 10,
            Environment = new Dictionary<string, string> { ["RECORD_FILE"] = recordFile },
            Sources = sources,
            Schedules = schedules,
        });
        return new EventRecorder(name, recordFile);
    }

    public async Task<SendMessageResult> SendAsync(string queue, params string[] bodies)
    {
        var request = new SendMessageRequest { Messages = [.. bodies.Select(b => new SendMessageRequest { Body = b })] };
        var response = await Client.PostAsJsonAsync($"/api/v1/queues/{queue}/messages", request, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(response, $"send to {queue}");
        return (await response.Content.ReadFromJsonAsync<SendMessageResult>(NimbusTestServer.Json))!;
    }

    public async Task SetPausedAsync(string function, bool paused)
    {
        var response = await Client.PostAsync($"/api/v1/functions/{function}/sources/{(paused ? "pause" : "resume")}", null);
        await NimbusTestServer.EnsureSuccessAsync(response, $"{(paused ? "pause" : "resume")} sources of {function}");
    }

    public async Task<QueueInfo> QueueAsync(string name) =>
        (await Client.GetFromJsonAsync<QueueInfo>($"/api/v1/queues/{name}", NimbusTestServer.Json))!;

    /// <summary>Waits until the recorder holds <paramref name="count"/> events and no batch is running; fails naming the phase otherwise.</summary>
    public async Task<JsonDocument[]> WaitForEventsAsync(EventRecorder recorder, int count, string phase)
    {
        JsonDocument[] events = [];
        var arrived = await NimbusTestServer.EventuallyAsync(
            async () => (events = await recorder.EventsAsync()).Length >= count && Poller.Running == 0, TimeSpan.FromSeconds(60));
        Assert.True(arrived, $"{phase}: {recorder.Name} received {events.Length} events, expected {count} (batches running: {Poller.Running})");
        return events;
    }
}

/// <summary>The event-recorder fixture deployed under a name, and the events it received, in order.</summary>
public sealed record EventRecorder(string Name, string RecordFile)
{
    public async Task<JsonDocument[]> EventsAsync() =>
        [.. (await File.ReadAllLinesAsync(RecordFile)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l))];
}
