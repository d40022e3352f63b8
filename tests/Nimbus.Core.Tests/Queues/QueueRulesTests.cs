using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class QueueRulesTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static QueueMessage Message(int receiveCount = 0) =>
        new("m1", "emails", "hello", null, s_t0, s_t0, receiveCount, null, null, null);

    [Fact]
    public void FirstVisibleAt_UsesTheQueueDelay_UnlessTheMessageGivesItsOwn()
    {
        var queue = new QueueConfig { Name = "emails", DelaySeconds = 30 };
        Assert.Equal(s_t0.AddSeconds(30), QueueRules.FirstVisibleAt(queue, s_t0, null));
        Assert.Equal(s_t0.AddSeconds(5), QueueRules.FirstVisibleAt(queue, s_t0, 5));
        Assert.Equal(s_t0, QueueRules.FirstVisibleAt(queue, s_t0, 0));
    }

    [Fact]
    public void VisibilityTimeout_IsTheDeclaredOne_ElseSixTimesTheConsumerTimeout_ElseThirtySeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), QueueRules.VisibilityTimeout(new QueueConfig { Name = "q", VisibilityTimeoutSeconds = 45 }, 10));
        Assert.Equal(TimeSpan.FromSeconds(60), QueueRules.VisibilityTimeout(new QueueConfig { Name = "q" }, 10));
        Assert.Equal(TimeSpan.FromSeconds(30), QueueRules.VisibilityTimeout(new QueueConfig { Name = "q" }, 3));
        Assert.Equal(TimeSpan.FromSeconds(30), QueueRules.VisibilityTimeout(new QueueConfig { Name = "q" }, null));
    }

    [Fact]
    public void Decide_DeliversUntilMaxReceiveCountReceives_ThenDeadLetters()
    {
        var queue = new QueueConfig { Name = "q", MaxReceiveCount = 3 };
        Assert.Equal(ReceiveDecision.Deliver, QueueRules.Decide(queue, s_t0, 0, s_t0));
        Assert.Equal(ReceiveDecision.Deliver, QueueRules.Decide(queue, s_t0, 2, s_t0));
        Assert.Equal(ReceiveDecision.DeadLetter, QueueRules.Decide(queue, s_t0, 3, s_t0));
    }

    [Fact]
    public void Decide_WithoutMaxReceiveCount_NeverDeadLetters()
    {
        Assert.Equal(ReceiveDecision.Deliver, QueueRules.Decide(new QueueConfig { Name = "q" }, s_t0, 500, s_t0.AddMinutes(1)));
    }

    [Fact]
    public void Decide_ExpiresAMessageOnceItOutlivesRetention()
    {
        var queue = new QueueConfig { Name = "q", RetentionSeconds = 60, MaxReceiveCount = 1 };
        Assert.Equal(ReceiveDecision.Deliver, QueueRules.Decide(queue, s_t0, 0, s_t0.AddSeconds(59)));
        Assert.Equal(ReceiveDecision.Expire, QueueRules.Decide(queue, s_t0, 0, s_t0.AddSeconds(60)));
        Assert.Equal(ReceiveDecision.Expire, QueueRules.Decide(queue, s_t0, 5, s_t0.AddSeconds(61)));
    }

    [Fact]
    public void Receive_CountsTheReceive_HidesTheMessage_AndKeepsTheFirstReceiveTime()
    {
        var first = QueueRules.Receive(Message(), s_t0.AddSeconds(1), TimeSpan.FromSeconds(30), "r1");
        Assert.Equal(1, first.ReceiveCount);
        Assert.Equal(s_t0.AddSeconds(31), first.VisibleAt);
        Assert.Equal(s_t0.AddSeconds(1), first.FirstReceivedAt);
        Assert.Equal("r1", first.ReceiptHandle);

        var second = QueueRules.Receive(first, s_t0.AddSeconds(40), TimeSpan.FromSeconds(30), "r2");
        Assert.Equal(2, second.ReceiveCount);
        Assert.Equal(s_t0.AddSeconds(1), second.FirstReceivedAt);
        Assert.Equal("r2", second.ReceiptHandle);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(7, 60)]
    [InlineData(40, 60)]
    public void ThrottleBackoff_DoublesPerReceive_UpToAMinute(int receiveCount, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), QueueRules.ThrottleBackoff(receiveCount, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void ThrottleBackoff_NeverOutlastsTheVisibilityTimeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), QueueRules.ThrottleBackoff(10, TimeSpan.FromSeconds(5)));
    }
}
