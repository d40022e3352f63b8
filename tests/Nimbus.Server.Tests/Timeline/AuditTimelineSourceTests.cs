using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Tests.Timeline;

/// <summary>The audit log as a timeline source, over real SQLite, interleaved with the control plane and the alarm
/// history by <see cref="TimelineService"/>.</summary>
public sealed class AuditTimelineSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-audit-timeline-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly FakeTimeProvider _time = new(T0);
    private SqliteStore _store = null!;
    private SqliteAlarmStore _alarms = null!;
    private SqliteAuditLog _audit = null!;
    private TimelineService _timeline = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(CancellationToken.None);
        _alarms = new SqliteAlarmStore(Path.Combine(_directory, "alarms.db"));
        await _alarms.InitializeAsync(CancellationToken.None);
        _audit = new SqliteAuditLog(_store);
        _timeline = new TimelineService([new ControlPlaneTimelineSource(_store), new AlarmTimelineSource(_alarms), new AuditTimelineSource(_audit)]);
    }

    public async Task DisposeAsync()
    {
        await _alarms.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task AuditAsync(DateTimeOffset at, string identity, string function, string outcome = "allowed", int status = 200) =>
        _audit.AppendAsync(new AuditRecord(0, at, identity, "admin", "function:deploy", $"PUT /api/v1/functions/{function}", function, "127.0.0.1", outcome, status, null),
            CancellationToken.None);

    [Fact]
    public async Task EveryAllowedActionIsListedWithWhoMadeIt_InterleavedNewestFirst_AndAtOneInstantBelowTheAlarmItCaused()
    {
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "orders", Runtime = "node22" }, CancellationToken.None);
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "billing", Runtime = "node22" }, CancellationToken.None);
        await AuditAsync(T0, "alice", "orders");
        await AuditAsync(T0.AddMinutes(5), "bob", "orders");
        await AuditAsync(T0.AddMinutes(6), "mallory", "orders", outcome: "denied", status: 403);
        await AuditAsync(T0.AddMinutes(7), "carol", "orders", status: 404);
        await AuditAsync(T0.AddMinutes(8), "dave", "billing");
        await _alarms.UpsertAsync(DefaultAlarms.For(new FunctionConfig { Name = "orders", Runtime = "node22" })[0], isDefault: true, T0, CancellationToken.None);
        var alarm = (await _alarms.ListAsync("orders", CancellationToken.None))[0].Definition.Name;
        await _alarms.RecordTransitionAsync(new AlarmTransition(alarm, T0.AddMinutes(5), AlarmState.Ok, AlarmState.Alarm, "Threshold Crossed"), CancellationToken.None);
        await AuditAsync(T0.AddMinutes(9), "erin", "orders");

        var events = await _timeline.ReadAsync("orders", T0.AddMinutes(-1), 100, CancellationToken.None);

        Assert.Equal(
            [
                (T0.AddMinutes(9), TimelineKinds.ManagementAction, "erin"),
                (T0.AddMinutes(5), TimelineKinds.AlarmTransition, null),
                (T0.AddMinutes(5), TimelineKinds.ManagementAction, "bob"),
                (T0, TimelineKinds.ManagementAction, "alice"),
                (T0, TimelineKinds.FunctionCreated, null),
            ],
            events.Select(e => (e.Timestamp, e.Kind, e.Actor)));
        Assert.Equal("function:deploy PUT /api/v1/functions/orders by bob (admin)", events[2].Summary);
    }

    [Fact]
    public async Task SinceAndLimit_KeepTheNewestActionsOfThatTime()
    {
        for (var i = 0; i < 5; i++)
        {
            await AuditAsync(T0.AddMinutes(i), $"user-{i}", "orders");
        }

        var source = new AuditTimelineSource(_audit);

        Assert.Equal(["user-4", "user-3"], (await source.ReadAsync("orders", T0.AddMinutes(2), 2, CancellationToken.None)).Select(e => e.Actor));
        Assert.Equal(["user-4", "user-3", "user-2"], (await source.ReadAsync(null, T0.AddMinutes(2), 10, CancellationToken.None)).Select(e => e.Actor));
        Assert.Empty(await source.ReadAsync("billing", T0, 10, CancellationToken.None));
    }
}
