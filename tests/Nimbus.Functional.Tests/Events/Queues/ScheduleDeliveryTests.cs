using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Schedules;
using Nimbus.Server.Events.Schedules;

namespace Nimbus.Functional.Tests.Events.Queues;

/// <summary>A schedule's tick reaches a real worker as EventBridge's Scheduled Event, on a fake clock.</summary>
public sealed class ScheduleDeliveryTests : IClassFixture<EventSourceServer>
{
    private readonly EventSourceServer _server;

    public ScheduleDeliveryTests(EventSourceServer server) => _server = server;

    [Fact]
    public async Task ARateSchedule_DeliversTheScheduledEventWithItsInput()
    {
        var recorder = await _server.DeployRecorderAsync("ticker",
            schedules: [new ScheduleConfig { Expression = "rate(1 minute)", Input = """{"report":"daily"}""" }]);
        var loop = _server.Nimbus.Server.Services.GetRequiredService<ScheduleLoop>();
        await loop.TickAsync(_server.Time.GetUtcNow(), CancellationToken.None);

        _server.Time.Advance(TimeSpan.FromSeconds(61));
        var fired = await loop.TickAsync(_server.Time.GetUtcNow(), CancellationToken.None);
        var tick = fired.SingleOrDefault(t => t.ScheduleId == "ticker-0")
            ?? (await WaitForFiredAsync(loop));

        var events = await _server.WaitForEventsAsync(recorder, 1, "the first tick");
        var root = Assert.Single(events).RootElement;
        Assert.Equal("Scheduled Event", root.GetProperty("detail-type").GetString());
        Assert.Equal("aws.events", root.GetProperty("source").GetString());
        Assert.Equal("000000000000", root.GetProperty("account").GetString());
        Assert.Equal("daily", root.GetProperty("detail").GetProperty("report").GetString());
        Assert.EndsWith("ticker-0", root.GetProperty("resources")[0].GetString(), StringComparison.Ordinal);
        // EventBridge writes the tick time to the second.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(tick.Time.ToUnixTimeSeconds()), root.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public async Task APausedSchedule_DoesNotFire_AndResumeStartsItFromThen()
    {
        var recorder = await _server.DeployRecorderAsync("paused-ticker", schedules: [new ScheduleConfig { Expression = "rate(1 minute)" }]);
        var loop = _server.Nimbus.Server.Services.GetRequiredService<ScheduleLoop>();
        await loop.TickAsync(_server.Time.GetUtcNow(), CancellationToken.None);
        var pause = await _server.Client.PostAsync("/api/v1/functions/paused-ticker/schedules/pause", null);
        await Infrastructure.NimbusTestServer.EnsureSuccessAsync(pause, "pause schedules");

        _server.Time.Advance(TimeSpan.FromMinutes(3));
        var whilePaused = await loop.TickAsync(_server.Time.GetUtcNow(), CancellationToken.None);
        Assert.DoesNotContain(whilePaused, t => t.ScheduleId == "paused-ticker-0");

        var resume = await _server.Client.PostAsync("/api/v1/functions/paused-ticker/schedules/resume", null);
        await Infrastructure.NimbusTestServer.EnsureSuccessAsync(resume, "resume schedules");
        _server.Time.Advance(TimeSpan.FromSeconds(61));
        await loop.TickAsync(_server.Time.GetUtcNow(), CancellationToken.None);
        var events = await _server.WaitForEventsAsync(recorder, 1, "the first tick after resume");
        Assert.Single(events);
    }

    private async Task<FiredTick> WaitForFiredAsync(ScheduleLoop loop)
    {
        // The hosted loop may have claimed the tick first (its timer fired on the same advance): read what it fired.
        var states = await _server.Nimbus.Server.Services.GetRequiredService<Nimbus.Server.Storage.SqliteScheduleStore>().ListAsync("ticker", CancellationToken.None);
        var state = Assert.Single(states);
        Assert.NotNull(state.LastFireAt);
        return new FiredTick(state.Id, state.LastFireAt!.Value, false, state.LastRequestId);
    }
}
