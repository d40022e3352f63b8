using System.Text;
using Nimbus.Core.Invocations;
using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class BatchSettlementTests
{
    private static readonly string[] s_ids = ["a", "b", "c"];

    [Fact]
    public void Success_WithoutReporting_DeletesTheWholeBatch()
    {
        var settlement = BatchSettlement.Decide(s_ids, InvocationOutcome.Success, false, false, "{\"batchItemFailures\":[{\"itemIdentifier\":\"a\"}]}"u8);
        Assert.Equal(s_ids, settlement.Delete);
        Assert.Empty(settlement.Retry);
    }

    [Fact]
    public void Success_WithReportedFailures_RetriesOnlyThose()
    {
        var settlement = BatchSettlement.Decide(s_ids, InvocationOutcome.Success, false, true, "{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}"u8);
        Assert.Equal(["a", "c"], settlement.Delete);
        Assert.Equal(["b"], settlement.Retry);
    }

    [Fact]
    public void Success_WithAnInvalidReport_RetriesTheWholeBatch()
    {
        var settlement = BatchSettlement.Decide(s_ids, InvocationOutcome.Success, false, true, Encoding.UTF8.GetBytes("{\"batchItemFailures\":[{}]}"));
        Assert.Empty(settlement.Delete);
        Assert.Equal(s_ids, settlement.Retry);
    }

    [Theory]
    [InlineData(InvocationOutcome.FunctionError)]
    [InlineData(InvocationOutcome.Timeout)]
    [InlineData(InvocationOutcome.Crashed)]
    [InlineData(InvocationOutcome.OutOfMemory)]
    [InlineData(InvocationOutcome.InitError)]
    public void AFailedInvocation_RetriesTheWholeBatch(InvocationOutcome outcome)
    {
        var settlement = BatchSettlement.Decide(s_ids, outcome, false, true, default);
        Assert.Equal(s_ids, settlement.Retry);
        Assert.Empty(settlement.Delete);
    }

    [Fact]
    public void Throttled_BacksOff_AndStopping_Releases()
    {
        Assert.Equal(s_ids, BatchSettlement.Decide(s_ids, InvocationOutcome.Throttled, false, false, default).BackOff);
        Assert.Equal(s_ids, BatchSettlement.Decide(s_ids, null, true, false, default).Release);
        Assert.Equal(s_ids, BatchSettlement.Decide(s_ids, null, false, false, default).Retry);
    }
}
