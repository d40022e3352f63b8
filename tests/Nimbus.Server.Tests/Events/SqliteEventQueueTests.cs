using Nimbus.Core.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Events;

public sealed class SqliteEventQueueTests : IAsyncLifetime
{
    private const string Owner = "node-a";
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(40);
    private QueueFixture _fixture = null!;

    private static CancellationToken Ct => CancellationToken.None;

    private SqliteEventQueue Queue => _fixture.Queue;

    public async Task InitializeAsync() => _fixture = await QueueFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Enqueue_ThenLease_GivesTheEventWithEverythingItWasAcceptedWith()
    {
        var accepted = _fixture.Clock.GetUtcNow();
        await Queue.EnqueueAsync([Event("orders", "r1", qualifier: "live", traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")], Ct);

        var leased = Assert.Single(await LeaseAsync());

        Assert.Equal("r1", leased.Id);
        Assert.Equal("r1", leased.RequestId);
        Assert.Equal("orders", leased.FunctionName);
        Assert.Equal("live", leased.Qualifier);
        Assert.Equal("{\"n\":\"r1\"}", System.Text.Encoding.UTF8.GetString(leased.Payload.Span));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", leased.TraceParent);
        Assert.Equal(accepted, leased.EnqueuedAt);
        Assert.Equal(AsyncEventState.Leased, leased.State);
        Assert.Equal(accepted + s_visibility, leased.LeaseExpiresAt);
    }

    [Fact]
    public async Task Lease_EventAlreadyLeased_IsNotGivenTwiceBeforeItsLeaseExpires()
    {
        await Queue.EnqueueAsync([Event("f", "r1")], Ct);
        Assert.Single(await LeaseAsync());

        _fixture.Clock.Advance(s_visibility - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await LeaseAsync());

        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var again = Assert.Single(await LeaseAsync("node-b"));
        Assert.Equal("node-b", again.LeaseOwner);
    }

    [Fact]
    public async Task Enqueue_BeyondTheFunctionsDepth_IsQueueFullAndOtherFunctionsAreNotAffected()
    {
        var statuses = await Queue.EnqueueAsync(
            [Event("f", "r1", depth: 2), Event("f", "r2", depth: 2), Event("f", "r3", depth: 2), Event("g", "r4", depth: 2)], Ct);

        Assert.Equal([EnqueueStatus.Accepted, EnqueueStatus.Accepted, EnqueueStatus.QueueFull, EnqueueStatus.Accepted], statuses);
        Assert.Equal(2, await Queue.DepthAsync("f", Ct));

        var later = await Queue.EnqueueAsync([Event("f", "r5", depth: 2)], Ct);
        Assert.Equal([EnqueueStatus.QueueFull], later);
    }

    [Fact]
    public async Task Complete_RemovesTheEvent()
    {
        await Queue.EnqueueAsync([Event("f", "r1")], Ct);
        await LeaseAsync();

        Assert.True(await Queue.CompleteAsync("r1", Owner, Ct));

        Assert.Null(await Queue.GetEventAsync("r1", Ct));
        Assert.Null(await Queue.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Complete_ByAnOwnerThatLostTheLease_ChangesNothing()
    {
        await Queue.EnqueueAsync([Event("f", "r1")], Ct);
        await LeaseAsync();
        _fixture.Clock.Advance(s_visibility);
        await LeaseAsync("node-b");

        Assert.False(await Queue.CompleteAsync("r1", Owner, Ct));
        Assert.NotNull(await Queue.GetEventAsync("r1", Ct));
    }

    [Fact]
    public async Task Reschedule_KeepsTheEventHiddenUntilItsRetryTimeWithItsHistory()
    {
        await Queue.EnqueueAsync([Event("f", "r1")], Ct);
        await LeaseAsync();
        var attempt = new AsyncAttempt(1, _fixture.Clock.GetUtcNow(), AsyncAttemptOutcome.FunctionError, "r1", "$LATEST", "Boom", "it broke", 12.5);

        await Queue.RescheduleAsync("r1", Owner, _fixture.Clock.GetUtcNow().AddSeconds(1), 1, 0, [attempt], Ct);

        Assert.Empty(await LeaseAsync());
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var retried = Assert.Single(await LeaseAsync());
        Assert.Equal(1, retried.FailedAttempts);
        Assert.Equal([attempt], retried.History);
    }

    [Fact]
    public async Task ReleaseLeases_AfterARestart_MakesLeasedEventsDueAtOnce()
    {
        await Queue.EnqueueAsync([Event("f", "r1"), Event("f", "r2")], Ct);
        Assert.Equal(2, (await LeaseAsync()).Count);

        await _fixture.ReopenAsync();
        Assert.Empty(await LeaseAsync("after-restart"));
        Assert.Equal(2, await Queue.ReleaseLeasesAsync(null, Ct));

        var again = await LeaseAsync("after-restart");
        Assert.Equal(["r1", "r2"], again.Select(e => e.Id).Order());
        Assert.All(again, e => Assert.Equal(0, e.FailedAttempts));
    }

    [Fact]
    public async Task Enqueue_IsDurable_TheEventIsThereAfterReopening()
    {
        await Queue.EnqueueAsync([Event("f", "r1")], Ct);

        await _fixture.ReopenAsync();

        Assert.NotNull(await Queue.GetEventAsync("r1", Ct));
    }

    [Fact]
    public async Task DeadLetter_MovesTheEventWithItsWholeHistoryAndTruncatedError()
    {
        await Queue.EnqueueAsync([Event("f", "r1", traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")], Ct);
        var leased = Assert.Single(await LeaseAsync());
        var start = _fixture.Clock.GetUtcNow();
        AsyncAttempt[] history =
        [
            new(1, start, AsyncAttemptOutcome.FunctionError, "r1", "$LATEST", "Boom", "first", 3),
            new(2, start.AddSeconds(1), AsyncAttemptOutcome.Timeout, "r1", "$LATEST", "Sandbox.Timedout", "second", 3000),
        ];

        Assert.True(await Queue.DeadLetterAsync(leased, Owner, AsyncConditions.RetriesExhausted, "Sandbox.Timedout", new string('m', 3000), history, Ct));

        Assert.Null(await Queue.GetEventAsync("r1", Ct));
        var dead = Assert.Single(await Queue.ListDeadLettersAsync("f", 10, Ct));
        Assert.Equal("r1", dead.RequestId);
        Assert.Equal(AsyncConditions.RetriesExhausted, dead.Condition);
        Assert.Equal("Sandbox.Timedout", dead.ErrorType);
        Assert.Equal(1024, dead.ErrorMessage!.Length);
        Assert.Equal(history, dead.Attempts);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", dead.TraceId);
        var shown = await Queue.GetDeadLetterAsync("f", "r1", Ct);
        Assert.Equal(history, shown!.Attempts);
        Assert.Equal("r1", shown.Id);
    }

    [Fact]
    public async Task Redrive_OneDeadLetter_QueuesItAgainWithItsRequestIdAndFreshAttempts()
    {
        await DeadLetterAsync("r1");
        await DeadLetterAsync("r2");

        Assert.Equal(1, await Queue.RedriveAsync("f", "r1", Ct));

        var redriven = Assert.Single(await LeaseAsync());
        Assert.Equal("r1", redriven.RequestId);
        Assert.NotEqual("r1", redriven.Id);
        Assert.Equal(0, redriven.FailedAttempts);
        Assert.Empty(redriven.History);
        Assert.Equal(1, redriven.Redrives);
        Assert.Equal(_fixture.Clock.GetUtcNow(), redriven.EnqueuedAt);
        Assert.Equal(["r2"], (await Queue.ListDeadLettersAsync("f", 10, Ct)).Select(d => d.Id));
    }

    [Fact]
    public async Task Redrive_All_QueuesEveryDeadLetterOfTheFunction()
    {
        await DeadLetterAsync("r1");
        await DeadLetterAsync("r2");

        Assert.Equal(2, await Queue.RedriveAsync("f", null, Ct));

        Assert.Empty(await Queue.ListDeadLettersAsync("f", 10, Ct));
        Assert.Equal(2, (await LeaseAsync()).Count);
    }

    [Fact]
    public async Task DepthBound_FollowsAcksDeadLettersAndRedrives()
    {
        await Queue.EnqueueAsync([Event("f", "r1", depth: 2), Event("f", "r2", depth: 2)], Ct);
        Assert.Equal([EnqueueStatus.QueueFull], await Queue.EnqueueAsync([Event("f", "r3", depth: 2)], Ct));

        var leased = await LeaseAsync();
        Assert.Equal([true, false], await Queue.CompleteManyAsync([("r1", Owner), ("r2", "someone-else")], Ct));
        Assert.Equal(1, await Queue.DepthAsync("f", Ct));
        Assert.Equal([EnqueueStatus.Accepted], await Queue.EnqueueAsync([Event("f", "r3", depth: 2)], Ct));

        await Queue.DeadLetterAsync(leased.Single(e => e.Id == "r2"), Owner, AsyncConditions.RetriesExhausted, "Boom", "failed", [], Ct);
        Assert.Equal(1, await Queue.DepthAsync("f", Ct));
        await Queue.RedriveAsync("f", "r2", Ct);
        Assert.Equal(2, await Queue.DepthAsync("f", Ct));
        Assert.Equal([EnqueueStatus.QueueFull], await Queue.EnqueueAsync([Event("f", "r4", depth: 2)], Ct));
        Assert.Equal(0, await Queue.DepthAsync("g", Ct));
    }

    [Fact]
    public async Task HeaderKey_IsKeptThroughLeaseDeadLetterAndRedrive()
    {
        var key = new EventHeaderKey("Idempotency-Key", "order-7");
        await Queue.EnqueueAsync([Event("f", "r1") with { HeaderKey = key }, Event("f", "r2")], Ct);

        var leased = await LeaseAsync();
        Assert.Equal(key, leased.Single(e => e.Id == "r1").HeaderKey);
        Assert.Null(leased.Single(e => e.Id == "r2").HeaderKey);

        await Queue.DeadLetterAsync(leased.Single(e => e.Id == "r1"), Owner, AsyncConditions.RetriesExhausted, "Boom", "failed", [], Ct);
        await Queue.RedriveAsync("f", "r1", Ct);

        var redriven = Assert.Single(await LeaseAsync());
        Assert.Equal("r1", redriven.RequestId);
        Assert.Equal(key, redriven.HeaderKey);
        Assert.Equal("order-7", redriven.HeaderKey!.Lookup("idempotency-key"));
        Assert.Null(redriven.HeaderKey.Lookup("Other"));
    }

    [Fact]
    public async Task Purge_DeletesOnlyThatFunctionsDeadLetters()
    {
        await DeadLetterAsync("r1");
        await DeadLetterAsync("r2", function: "g");

        Assert.Equal(1, await Queue.PurgeDeadLettersAsync("f", Ct));

        Assert.Empty(await Queue.ListDeadLettersAsync("f", 10, Ct));
        Assert.Single(await Queue.ListDeadLettersAsync("g", 10, Ct));
    }

    private async Task DeadLetterAsync(string requestId, string function = "f")
    {
        await Queue.EnqueueAsync([Event(function, requestId)], Ct);
        var leased = (await LeaseAsync()).Single(e => e.Id == requestId);
        await Queue.DeadLetterAsync(leased, Owner, AsyncConditions.RetriesExhausted, "Boom", "failed", [], Ct);
    }

    private Task<IReadOnlyList<AsyncEvent>> LeaseAsync(string owner = Owner) => Queue.LeaseAsync(owner, 100, _ => s_visibility, Ct);

    private static NewAsyncEvent Event(string function, string requestId, string? qualifier = null, string? traceParent = null, int depth = 100) =>
        new(function, qualifier, System.Text.Encoding.UTF8.GetBytes($"{{\"n\":\"{requestId}\"}}"), requestId, traceParent, depth);
}
