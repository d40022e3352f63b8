using Nimbus.Core.Events;

namespace Nimbus.Core.Tests.Events;

public class AsyncRetryPolicyTests
{
    private static readonly DateTimeOffset s_enqueued = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_Success_AcksWithConditionSuccess()
    {
        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 0, 0, AsyncAttemptOutcome.Success, s_enqueued);

        Assert.Equal(AsyncEventTrigger.Succeed, decision.Trigger);
        Assert.Equal(AsyncConditions.Success, decision.Condition);
    }

    [Fact]
    public void Decide_FirstFailureWithDefaults_RetriesAfterOneMinute()
    {
        var now = s_enqueued.AddSeconds(5);

        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 0, 0, AsyncAttemptOutcome.FunctionError, now);

        Assert.Equal(AsyncEventTrigger.ScheduleRetry, decision.Trigger);
        Assert.Equal(now.AddMinutes(1), decision.VisibleAt);
    }

    [Fact]
    public void Decide_SecondFailureWithDefaults_RetriesAfterTwoMinutes()
    {
        var now = s_enqueued.AddMinutes(1);

        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 1, 0, AsyncAttemptOutcome.Timeout, now);

        Assert.Equal(AsyncEventTrigger.ScheduleRetry, decision.Trigger);
        Assert.Equal(now.AddMinutes(2), decision.VisibleAt);
    }

    [Fact]
    public void Decide_ThirdFailureWithDefaults_DeadLettersRetriesExhausted()
    {
        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 2, 0, AsyncAttemptOutcome.Crashed, s_enqueued.AddMinutes(3));

        Assert.Equal(AsyncEventTrigger.DeadLetter, decision.Trigger);
        Assert.Equal(AsyncConditions.RetriesExhausted, decision.Condition);
    }

    [Theory]
    [InlineData(AsyncAttemptOutcome.FunctionError)]
    [InlineData(AsyncAttemptOutcome.Timeout)]
    [InlineData(AsyncAttemptOutcome.OutOfMemory)]
    [InlineData(AsyncAttemptOutcome.Crashed)]
    [InlineData(AsyncAttemptOutcome.InitError)]
    [InlineData(AsyncAttemptOutcome.FunctionNotFound)]
    public void Decide_EveryKindOfFailure_IsRetried(AsyncAttemptOutcome outcome)
    {
        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 0, 0, outcome, s_enqueued);

        Assert.Equal(AsyncEventTrigger.ScheduleRetry, decision.Trigger);
    }

    [Fact]
    public void Decide_ZeroRetryAttempts_DeadLettersAfterTheFirstFailure()
    {
        var config = new AsyncConfig { MaximumRetryAttempts = 0 };

        var decision = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 0, AsyncAttemptOutcome.FunctionError, s_enqueued);

        Assert.Equal(AsyncConditions.RetriesExhausted, decision.Condition);
    }

    [Fact]
    public void Decide_ConfiguredDelays_AreUsedInOrder()
    {
        var config = new AsyncConfig { RetryDelaysSeconds = [1, 2] };
        var now = s_enqueued.AddSeconds(10);

        var first = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 0, AsyncAttemptOutcome.FunctionError, now);
        var second = AsyncRetryPolicy.Decide(config, s_enqueued, 1, 0, AsyncAttemptOutcome.FunctionError, now);

        Assert.Equal(now.AddSeconds(1), first.VisibleAt);
        Assert.Equal(now.AddSeconds(2), second.VisibleAt);
    }

    [Fact]
    public void RetryDelay_WithOneConfiguredDelay_RepeatsIt()
    {
        var config = new AsyncConfig { RetryDelaysSeconds = [3] };

        Assert.Equal(TimeSpan.FromSeconds(3), AsyncRetryPolicy.RetryDelay(config, 2));
    }

    [Fact]
    public void Decide_RetryThatWouldLandAfterMaximumAge_DeadLettersEventAgeExceeded()
    {
        var config = new AsyncConfig { MaximumEventAgeInSeconds = 60 };

        // Default first delay is 60 s; the event is 30 s old, so the retry would be due at 90 s > 60 s.
        var decision = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 0, AsyncAttemptOutcome.FunctionError, s_enqueued.AddSeconds(30));

        Assert.Equal(AsyncEventTrigger.DeadLetter, decision.Trigger);
        Assert.Equal(AsyncConditions.EventAgeExceeded, decision.Condition);
    }

    [Theory]
    [InlineData(AsyncAttemptOutcome.Throttled)]
    [InlineData(AsyncAttemptOutcome.PlatformStopping)]
    public void Decide_ThrottledOrStopping_PostponesWithoutUsingARetry(AsyncAttemptOutcome outcome)
    {
        var config = new AsyncConfig { MaximumRetryAttempts = 0 };

        // Even with no retries left, a throttle is not a failure.
        var decision = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 0, outcome, s_enqueued);

        Assert.Equal(AsyncEventTrigger.Postpone, decision.Trigger);
        Assert.Equal(s_enqueued.AddSeconds(1), decision.VisibleAt);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(40, 300)]
    public void PostponementDelay_DoublesFromOneSecondUpToFiveMinutes(int postponements, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), AsyncRetryPolicy.PostponementDelay(postponements));
    }

    [Fact]
    public void Decide_PostponementNearMaximumAge_IsDueExactlyAtTheDeadline()
    {
        var config = new AsyncConfig { MaximumEventAgeInSeconds = 60 };
        var now = s_enqueued.AddSeconds(59);

        var decision = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 5, AsyncAttemptOutcome.Throttled, now);

        Assert.Equal(AsyncEventTrigger.Postpone, decision.Trigger);
        Assert.Equal(s_enqueued.AddSeconds(60), decision.VisibleAt);
    }

    [Fact]
    public void Decide_ThrottledAtMaximumAge_DeadLettersEventAgeExceeded()
    {
        var config = new AsyncConfig { MaximumEventAgeInSeconds = 60 };

        var decision = AsyncRetryPolicy.Decide(config, s_enqueued, 0, 5, AsyncAttemptOutcome.Throttled, s_enqueued.AddSeconds(60));

        Assert.Equal(AsyncConditions.EventAgeExceeded, decision.Condition);
    }

    [Fact]
    public void Decide_ZeroReservedConcurrency_DeadLettersAtOnceWithItsCondition()
    {
        var decision = AsyncRetryPolicy.Decide(AsyncConfig.Default, s_enqueued, 0, 0, AsyncAttemptOutcome.ZeroReservedConcurrency, s_enqueued);

        Assert.Equal(AsyncEventTrigger.DeadLetter, decision.Trigger);
        Assert.Equal(AsyncConditions.ZeroReservedConcurrency, decision.Condition);
    }

    [Fact]
    public void IsExpired_IsTrueFromTheMaximumAgeOn()
    {
        var config = new AsyncConfig { MaximumEventAgeInSeconds = 60 };

        Assert.False(AsyncRetryPolicy.IsExpired(config, s_enqueued, s_enqueued.AddSeconds(59.999)));
        Assert.True(AsyncRetryPolicy.IsExpired(config, s_enqueued, s_enqueued.AddSeconds(60)));
    }

    [Fact]
    public void AsyncAttempt_Truncate_KeepsTheFirstKilobyte()
    {
        var message = new string('x', 5000);

        Assert.Equal(1024, AsyncAttempt.Truncate(message)!.Length);
        Assert.Equal("short", AsyncAttempt.Truncate("short"));
    }
}
