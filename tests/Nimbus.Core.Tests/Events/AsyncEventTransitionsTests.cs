using Nimbus.Core.Events;

namespace Nimbus.Core.Tests.Events;

public class AsyncEventTransitionsTests
{
    [Theory]
    [InlineData(AsyncEventState.Queued, AsyncEventTrigger.Lease, AsyncEventState.Leased)]
    [InlineData(AsyncEventState.Retrying, AsyncEventTrigger.Lease, AsyncEventState.Leased)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.Lease, AsyncEventState.Leased)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.Succeed, AsyncEventState.Succeeded)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.ScheduleRetry, AsyncEventState.Retrying)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.Postpone, AsyncEventState.Retrying)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.Release, AsyncEventState.Queued)]
    [InlineData(AsyncEventState.Leased, AsyncEventTrigger.DeadLetter, AsyncEventState.DeadLettered)]
    [InlineData(AsyncEventState.DeadLettered, AsyncEventTrigger.Redrive, AsyncEventState.Queued)]
    public void Next_AllowedTransition_GivesItsState(AsyncEventState from, AsyncEventTrigger trigger, AsyncEventState expected)
    {
        Assert.True(AsyncEventTransitions.IsAllowed(from, trigger));
        Assert.Equal(expected, AsyncEventTransitions.Next(from, trigger));
    }

    [Theory]
    [InlineData(AsyncEventState.Queued, AsyncEventTrigger.Succeed)]
    [InlineData(AsyncEventState.Queued, AsyncEventTrigger.DeadLetter)]
    [InlineData(AsyncEventState.Retrying, AsyncEventTrigger.Succeed)]
    [InlineData(AsyncEventState.Succeeded, AsyncEventTrigger.Lease)]
    [InlineData(AsyncEventState.Succeeded, AsyncEventTrigger.Redrive)]
    [InlineData(AsyncEventState.DeadLettered, AsyncEventTrigger.Lease)]
    [InlineData(AsyncEventState.Queued, AsyncEventTrigger.Redrive)]
    public void Next_TransitionNotInTheTable_Throws(AsyncEventState from, AsyncEventTrigger trigger)
    {
        Assert.False(AsyncEventTransitions.IsAllowed(from, trigger));
        var error = Assert.Throws<InvalidOperationException>(() => AsyncEventTransitions.Next(from, trigger));
        Assert.Contains(from.ToString(), error.Message);
    }

    [Fact]
    public void IsFinal_OnlySucceededAndDeadLettered()
    {
        var finals = Enum.GetValues<AsyncEventState>().Where(AsyncEventTransitions.IsFinal).ToList();

        Assert.Equal([AsyncEventState.Succeeded, AsyncEventState.DeadLettered], finals);
    }
}
