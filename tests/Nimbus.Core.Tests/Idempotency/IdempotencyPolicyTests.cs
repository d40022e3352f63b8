using System.Text;
using Nimbus.Core.Idempotency;
using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Idempotency;

public class IdempotencyPolicyTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(13); // a 3 s timeout plus the 10 s init limit
    private static readonly TimeSpan s_ttl = TimeSpan.FromHours(1);
    private readonly Clock _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Decide_NoRecord_Runs() => Assert.Equal(IdempotencyDecision.Run, IdempotencyPolicy.Decide(null, _time.GetUtcNow()));

    [Fact]
    public void Decide_CompletedWithinTtl_ReturnsTheStoredResponseUntilTheTtlEnds()
    {
        var completed = Complete();

        _time.Advance(s_ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.ReturnStored, IdempotencyPolicy.Decide(completed, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.Run, IdempotencyPolicy.Decide(completed, _time.GetUtcNow()));
    }

    [Fact]
    public void Decide_InProgress_ConflictsUntilTheInvocationsOwnLimitNotTheTtl()
    {
        var claimed = IdempotencyPolicy.Claim("orders", "k", "r1", _time.GetUtcNow(), s_limit);

        _time.Advance(s_limit + IdempotencyPolicy.InProgressMargin - TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.Conflict, IdempotencyPolicy.Decide(claimed, _time.GetUtcNow()));

        // The invocation cannot still be running: the record is gone long before the hour of the TTL.
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.Run, IdempotencyPolicy.Decide(claimed, _time.GetUtcNow()));
        Assert.True(claimed.ExpiresAt < _time.GetUtcNow() - TimeSpan.FromSeconds(1) + s_ttl);
    }

    [Theory]
    [InlineData(InvocationOutcome.FunctionError)]
    [InlineData(InvocationOutcome.Timeout)]
    [InlineData(InvocationOutcome.Crashed)]
    [InlineData(InvocationOutcome.OutOfMemory)]
    [InlineData(InvocationOutcome.InitError)]
    [InlineData(InvocationOutcome.Throttled)]
    public void Finish_AnythingButSuccess_StoresNothingSoTheNextCallRunsAtOnce(InvocationOutcome outcome)
    {
        var claimed = IdempotencyPolicy.Claim("orders", "k", "r1", _time.GetUtcNow(), s_limit);
        _time.Advance(TimeSpan.FromSeconds(2));

        var after = IdempotencyPolicy.Finish(claimed, outcome, Encoding.UTF8.GetBytes("{\"errorMessage\":\"x\"}"), "1", s_ttl, _time.GetUtcNow());

        Assert.Null(after);
        Assert.Equal(IdempotencyDecision.Run, IdempotencyPolicy.Decide(after, _time.GetUtcNow()));
    }

    [Fact]
    public void Finish_Success_StoresTheResponseForTheTtlFromTheEndOfTheInvocation()
    {
        var claimed = IdempotencyPolicy.Claim("orders", "k", "r1", _time.GetUtcNow(), s_limit);
        _time.Advance(TimeSpan.FromSeconds(2));

        var after = IdempotencyPolicy.Finish(claimed, InvocationOutcome.Success, Encoding.UTF8.GetBytes("{\"ok\":true}"), "3", s_ttl, _time.GetUtcNow())!;

        Assert.Equal(IdempotencyState.Completed, after.State);
        Assert.Equal(_time.GetUtcNow() + s_ttl, after.ExpiresAt);
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(after.Response.Span));
        Assert.Equal("3", after.ExecutedVersion);
        Assert.Equal("r1", after.RequestId);
    }

    private IdempotencyRecord Complete()
    {
        var claimed = IdempotencyPolicy.Claim("orders", "k", "r1", _time.GetUtcNow(), s_limit);
        return IdempotencyPolicy.Finish(claimed, InvocationOutcome.Success, "{}"u8.ToArray(), "1", s_ttl, _time.GetUtcNow())!;
    }

    /// <summary>The policy is pure (it takes the time); this is only a readable way to move "now" forward.</summary>
    private sealed class Clock(DateTimeOffset start)
    {
        private DateTimeOffset _now = start;

        public DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
