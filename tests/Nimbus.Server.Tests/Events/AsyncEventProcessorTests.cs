using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Server.Events;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Tests.Events;

/// <summary>The processor's timing, driven by <see cref="AsyncEventProcessor.TickAsync"/> on a fake clock.</summary>
public sealed class AsyncEventProcessorTests : IAsyncLifetime
{
    private static readonly CancellationToken s_ct = CancellationToken.None;
    private QueueFixture _fixture = null!;
    private RoutingState _routing = null!;

    public async Task InitializeAsync()
    {
        _fixture = await QueueFixture.CreateAsync();
        _routing = new RoutingState(_fixture.Store);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Tick_SuccessfulAttempt_AcksTheEvent()
    {
        var (processor, invoker) = await ProcessorAsync(null, AsyncAttemptOutcome.Success);
        await EnqueueAsync("r1");

        await RunDueAsync(processor);

        Assert.Single(invoker.Attempts);
        Assert.Null(await _fixture.Queue.GetEventAsync("r1", s_ct));
        Assert.Empty(await _fixture.Queue.ListDeadLettersAsync("f", 10, s_ct));
    }

    [Fact]
    public async Task Tick_FailingEvent_RetriesAfterTheConfiguredDelaysThenDeadLettersWithEveryAttempt()
    {
        var (processor, invoker) = await ProcessorAsync(new AsyncConfig { RetryDelaysSeconds = [1, 2] }, AsyncAttemptOutcome.FunctionError);
        await EnqueueAsync("r1");
        var start = _fixture.Clock.GetUtcNow();

        Assert.Equal(1, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await RunDueAsync(processor));

        Assert.Equal(3, invoker.Attempts.Count);
        Assert.All(invoker.Attempts, a => Assert.Equal("r1", a.RequestId));
        var dead = Assert.Single(await _fixture.Queue.ListDeadLettersAsync("f", 10, s_ct));
        Assert.Equal(AsyncConditions.RetriesExhausted, dead.Condition);
        Assert.Equal("Handled.Error", dead.ErrorType);
        Assert.Equal("attempt 3 failed", dead.ErrorMessage);
        Assert.Equal([start, start.AddSeconds(1), start.AddSeconds(3)], dead.Attempts.Select(a => a.StartedAt));
        Assert.All(dead.Attempts, a => Assert.Equal(AsyncAttemptOutcome.FunctionError, a.Outcome));
    }

    [Fact]
    public async Task Tick_ZeroReservedConcurrency_DeadLettersAfterOneAttemptWithItsCondition()
    {
        var (processor, invoker) = await ProcessorAsync(null, AsyncAttemptOutcome.ZeroReservedConcurrency);
        await EnqueueAsync("r1");

        await RunDueAsync(processor);

        Assert.Single(invoker.Attempts);
        var dead = Assert.Single(await _fixture.Queue.ListDeadLettersAsync("f", 10, s_ct));
        Assert.Equal(AsyncConditions.ZeroReservedConcurrency, dead.Condition);
    }

    [Fact]
    public async Task Tick_ThrottledEvent_WaitsWithGrowingBackoffAndUsesNoRetry()
    {
        var (processor, invoker) = await ProcessorAsync(new AsyncConfig { MaximumRetryAttempts = 0 },
            AsyncAttemptOutcome.Throttled, AsyncAttemptOutcome.Throttled, AsyncAttemptOutcome.Success);
        await EnqueueAsync("r1");

        Assert.Equal(1, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await RunDueAsync(processor));
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await RunDueAsync(processor)); // the second wait is 2 s
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await RunDueAsync(processor));

        Assert.Equal(3, invoker.Attempts.Count);
        Assert.Null(await _fixture.Queue.GetEventAsync("r1", s_ct));
        Assert.Empty(await _fixture.Queue.ListDeadLettersAsync("f", 10, s_ct));
    }

    [Fact]
    public async Task Tick_EventOlderThanItsMaximumAge_IsDeadLetteredWithoutRunning()
    {
        var (processor, invoker) = await ProcessorAsync(new AsyncConfig { MaximumEventAgeInSeconds = 60 }, AsyncAttemptOutcome.Success);
        await EnqueueAsync("r1");
        _fixture.Clock.Advance(TimeSpan.FromSeconds(60));

        await RunDueAsync(processor);

        Assert.Empty(invoker.Attempts);
        var dead = Assert.Single(await _fixture.Queue.ListDeadLettersAsync("f", 10, s_ct));
        Assert.Equal(AsyncConditions.EventAgeExceeded, dead.Condition);
    }

    [Fact]
    public async Task Tick_LeasesForLongerThanTheFunctionTimeoutAndInitLimit()
    {
        var blocked = new TaskCompletionSource<AsyncAttemptResult>();
        var processor = await ProcessorWithAsync(null, new BlockingInvoker(blocked.Task), timeoutSeconds: 20);
        await EnqueueAsync("r1");
        var now = _fixture.Clock.GetUtcNow();

        await processor.TickAsync(s_ct);

        var leased = await _fixture.Queue.GetEventAsync("r1", s_ct);
        Assert.Equal(AsyncEventState.Leased, leased!.State);
        Assert.Equal(now + TimeSpan.FromSeconds(20 + 10 + 30), leased.LeaseExpiresAt);
        blocked.SetResult(new AsyncAttemptResult(AsyncAttemptOutcome.Success));
        await processor.WhenIdleAsync();
    }

    [Fact]
    public async Task Start_GivesBackLeasesLeftByADeadProcessSoTheyRunAtOnce()
    {
        await EnqueueAsync("r1");
        await _fixture.Queue.LeaseAsync("killed-process", 10, _ => TimeSpan.FromMinutes(10), s_ct);
        var (processor, invoker) = await ProcessorAsync(null, AsyncAttemptOutcome.Success);

        await processor.StartAsync(s_ct);
        await processor.StoppingAsync(s_ct);
        await processor.StopAsync(s_ct);
        await RunDueAsync(processor);

        Assert.Single(invoker.Attempts);
        Assert.Null(await _fixture.Queue.GetEventAsync("r1", s_ct));
    }

    [Fact]
    public async Task Tick_StartsNoMoreAttemptsThanItsConcurrency()
    {
        var blocked = new TaskCompletionSource<AsyncAttemptResult>();
        var processor = await ProcessorWithAsync(null, new BlockingInvoker(blocked.Task), maxConcurrency: 2);
        await EnqueueAsync("r1");
        await EnqueueAsync("r2");
        await EnqueueAsync("r3");

        Assert.Equal(2, await processor.TickAsync(s_ct));
        Assert.Equal(0, await processor.TickAsync(s_ct));

        blocked.SetResult(new AsyncAttemptResult(AsyncAttemptOutcome.Success));
        await processor.WhenIdleAsync();
        Assert.Equal(1, await processor.TickAsync(s_ct));
        await processor.WhenIdleAsync();
    }

    private static async Task<int> RunDueAsync(AsyncEventProcessor processor)
    {
        var started = await processor.TickAsync(s_ct);
        await processor.WhenIdleAsync();
        return started;
    }

    private async Task EnqueueAsync(string requestId) =>
        await _fixture.Queue.EnqueueAsync([new NewAsyncEvent("f", null, "{}"u8.ToArray(), requestId, null, 100)], s_ct);

    private async Task<(AsyncEventProcessor, ScriptedInvoker)> ProcessorAsync(AsyncConfig? config, params AsyncAttemptOutcome[] outcomes)
    {
        var invoker = new ScriptedInvoker(outcomes);
        return (await ProcessorWithAsync(config, invoker), invoker);
    }

    private async Task<AsyncEventProcessor> ProcessorWithAsync(AsyncConfig? config, IAsyncEventInvoker invoker, double timeoutSeconds = 3, int maxConcurrency = 4)
    {
        await _fixture.Store.UpsertFunctionConfigAsync(
            new FunctionConfig { Name = "f", Runtime = "node", Handler = "index.handler", TimeoutSeconds = timeoutSeconds, Async = config }, s_ct);
        await _routing.ReloadAsync(s_ct);
        return new AsyncEventProcessor(_fixture.Queue, invoker, _routing, new AsyncEventSignal(),
            new AsyncEventOptions { MaxConcurrency = maxConcurrency }, _fixture.Clock, NullLogger<AsyncEventProcessor>.Instance);
    }

    private sealed class BlockingInvoker(Task<AsyncAttemptResult> result) : IAsyncEventInvoker
    {
        public Task<AsyncAttemptResult> InvokeAsync(AsyncEvent item, CancellationToken cancellationToken) => result;
    }
}
