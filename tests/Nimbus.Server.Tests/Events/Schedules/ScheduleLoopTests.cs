using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Core.Schedules;
using Nimbus.Server.Events;
using Nimbus.Server.Events.Schedules;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Events.Schedules;

public sealed class ScheduleLoopTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private QueueFixture _fixture = null!;

    private DateTimeOffset T0 => new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => _fixture = await QueueFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    /// <summary>A loop over the fixture's current store, as a freshly started node has.</summary>
    private ScheduleLoop NewLoop() =>
        new(_fixture.Store, new SqliteScheduleStore(_fixture.Store, "eu-west-1"), new AsyncEventSignal(), _fixture.Clock, NullLogger<ScheduleLoop>.Instance);

    private Task DeclareAsync(params ScheduleConfig[] schedules) =>
        _fixture.Store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "report", Runtime = RuntimeNames.Provided, Schedules = schedules }, Ct);

    private async Task<IReadOnlyList<AsyncEvent>> QueuedAsync()
    {
        _fixture.Clock.SetUtcNow(_fixture.Clock.GetUtcNow().AddDays(400));
        return await _fixture.Queue.LeaseAsync("test", 100, _ => TimeSpan.FromMinutes(1), Ct);
    }

    [Fact]
    public async Task Tick_RateSchedule_FiresEveryIntervalOnceWithTheScheduledEventShape()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(5 minutes)", Input = """{"report":"daily"}""" });
        var loop = NewLoop();

        Assert.Empty(await loop.TickAsync(T0, Ct));
        Assert.Empty(await loop.TickAsync(T0.AddMinutes(5).AddSeconds(-1), Ct));
        var first = Assert.Single(await loop.TickAsync(T0.AddMinutes(5), Ct));
        Assert.Empty(await loop.TickAsync(T0.AddMinutes(5).AddSeconds(1), Ct));
        var second = Assert.Single(await loop.TickAsync(T0.AddMinutes(10).AddSeconds(2), Ct));

        Assert.Equal(("report-0", T0.AddMinutes(5), false), (first.ScheduleId, first.Time, first.CatchUp));
        Assert.Equal(T0.AddMinutes(10), second.Time);
        var events = await QueuedAsync();
        Assert.Equal(2, events.Count);
        var queued = events.Single(e => e.RequestId == first.RequestId);
        Assert.Equal(("report", (string?)null), (queued.FunctionName, queued.Qualifier));
        using var json = JsonDocument.Parse(queued.Payload);
        var root = json.RootElement;
        Assert.Equal("0", root.GetProperty("version").GetString());
        Assert.Equal(first.RequestId, root.GetProperty("id").GetString());
        Assert.Equal("Scheduled Event", root.GetProperty("detail-type").GetString());
        Assert.Equal("aws.events", root.GetProperty("source").GetString());
        Assert.Equal(FunctionArn.AccountId, root.GetProperty("account").GetString());
        Assert.Equal("2026-12-01T12:05:00Z", root.GetProperty("time").GetString());
        Assert.Equal("eu-west-1", root.GetProperty("region").GetString());
        Assert.Equal("arn:aws:events:eu-west-1:000000000000:rule/report-0", root.GetProperty("resources")[0].GetString());
        Assert.Equal("daily", root.GetProperty("detail").GetProperty("report").GetString());
    }

    [Fact]
    public async Task Tick_CronInTimeZone_FiresAtTheLocalTime()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "cron(0 9 * * ? *)", Timezone = "Europe/Paris" });
        var loop = NewLoop();
        await loop.TickAsync(T0, Ct);

        // 09:00 in Paris on 2 December is 08:00Z.
        Assert.Empty(await loop.TickAsync(new DateTimeOffset(2026, 12, 2, 7, 59, 59, TimeSpan.Zero), Ct));
        var tick = Assert.Single(await loop.TickAsync(new DateTimeOffset(2026, 12, 2, 8, 0, 1, TimeSpan.Zero), Ct));

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero), tick.Time);
    }

    [Fact]
    public async Task Tick_StandardCron_FiresOnItsMinutes()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "*/15 * * * *" });
        var loop = NewLoop();
        await loop.TickAsync(T0.AddMinutes(1), Ct);

        var tick = Assert.Single(await loop.TickAsync(T0.AddMinutes(15), Ct));

        Assert.Equal(T0.AddMinutes(15), tick.Time);
    }

    [Fact]
    public async Task Tick_AfterARestartThatMissedTicks_MissedOnceFiresOneCatchUpThenKeepsTheGrid()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(1 hour)" });
        await NewLoop().TickAsync(T0, Ct);

        await _fixture.ReopenAsync();
        var restarted = NewLoop();
        var catchUp = Assert.Single(await restarted.TickAsync(T0.AddHours(5).AddMinutes(10), Ct));
        var next = Assert.Single(await restarted.TickAsync(T0.AddHours(6), Ct));

        Assert.Equal((T0.AddHours(1), true), (catchUp.Time, catchUp.CatchUp));
        Assert.Equal((T0.AddHours(6), false), (next.Time, next.CatchUp));
        Assert.Equal(2, (await QueuedAsync()).Count);
    }

    [Fact]
    public async Task Tick_AfterARestartThatMissedTicks_MissedSkipFiresNothingUntilTheNextTick()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(1 hour)", Missed = "skip" });
        await NewLoop().TickAsync(T0, Ct);

        await _fixture.ReopenAsync();
        var restarted = NewLoop();
        Assert.Empty(await restarted.TickAsync(T0.AddHours(5).AddMinutes(10), Ct));
        var next = Assert.Single(await restarted.TickAsync(T0.AddHours(6), Ct));

        Assert.Equal(T0.AddHours(6), next.Time);
        var state = Assert.Single(await new SqliteScheduleStore(_fixture.Store, "eu-west-1").ListAsync("report", Ct));
        Assert.Equal(T0.AddHours(7), state.NextFireAt);
    }

    [Fact]
    public async Task Tick_TickClaimedBeforeARestart_IsNotDeliveredAgainByTheNewLoop()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(5 minutes)" });
        var before = NewLoop();
        await before.TickAsync(T0, Ct);
        Assert.Single(await before.TickAsync(T0.AddMinutes(5), Ct));

        await _fixture.ReopenAsync();
        var after = NewLoop();
        var other = NewLoop();

        Assert.Empty(await after.TickAsync(T0.AddMinutes(5).AddSeconds(20), Ct));
        Assert.Empty(await other.TickAsync(T0.AddMinutes(5).AddSeconds(20), Ct));
        Assert.Single(await QueuedAsync());
    }

    [Fact]
    public async Task Tick_ChangedExpression_StartsFromTheChangeWithoutACatchUp()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(1 hour)" });
        var loop = NewLoop();
        await loop.TickAsync(T0, Ct);

        await DeclareAsync(new ScheduleConfig { Expression = "rate(2 hours)" });
        Assert.Empty(await loop.TickAsync(T0.AddHours(3), Ct));
        var tick = Assert.Single(await loop.TickAsync(T0.AddHours(5), Ct));

        Assert.Equal(T0.AddHours(5), tick.Time);
    }

    [Fact]
    public async Task Tick_DisabledSchedule_NeverFires()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(1 minute)", Enabled = false });
        var loop = NewLoop();
        await loop.TickAsync(T0, Ct);

        Assert.Empty(await loop.TickAsync(T0.AddMinutes(10), Ct));
        var state = Assert.Single(await new SqliteScheduleStore(_fixture.Store, "eu-west-1").ListAsync(null, Ct));
        Assert.Null(state.NextFireAt);
    }

    [Fact]
    public async Task List_ShowsTheNextFireTimeAndTheLastTicksResult()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(5 minutes)" });
        var loop = NewLoop();
        var schedules = new SqliteScheduleStore(_fixture.Store, "eu-west-1");
        await loop.TickAsync(T0, Ct);
        var tick = Assert.Single(await loop.TickAsync(T0.AddMinutes(5), Ct));

        var queued = Assert.Single(await schedules.ListAsync("report", Ct));
        Assert.Equal(new ScheduleState("report-0", "report", T0.AddMinutes(10), T0.AddMinutes(5), "Queued", tick.RequestId), queued);

        var leased = Assert.Single(await QueuedAsync());
        Assert.Equal("Running", Assert.Single(await schedules.ListAsync("report", Ct)).LastResult);
        Assert.True(await _fixture.Queue.CompleteAsync(leased.Id, "test", Ct));
        Assert.Equal("Succeeded", Assert.Single(await schedules.ListAsync("report", Ct)).LastResult);
        Assert.Empty(await schedules.ListAsync("other", Ct));
    }

    [Fact]
    public async Task Tick_RemovedSchedule_IsForgotten()
    {
        await DeclareAsync(new ScheduleConfig { Expression = "rate(5 minutes)" });
        var loop = NewLoop();
        await loop.TickAsync(T0, Ct);

        await DeclareAsync();
        Assert.Empty(await loop.TickAsync(T0.AddMinutes(5), Ct));
        Assert.Empty(await new SqliteScheduleStore(_fixture.Store, "eu-west-1").ListAsync(null, Ct));
    }
}
