using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public sealed class PlatformLogLinesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheReportOfARecord_IsTheLineOfItsFields()
    {
        var record = new InvocationRecord("r1", "fn", "3", "live", Start, 12.3456, 250.5, true, InvocationOutcome.Success, null, 41, "t", 256);

        Assert.Equal("REPORT RequestId: r1\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 41 MB\tInit Duration: 250.50 ms",
            PlatformLogLines.Report(record));
    }

    [Theory]
    [InlineData(InvocationOutcome.Success, null, null)]
    [InlineData(InvocationOutcome.FunctionError, "Handled", null)]
    [InlineData(InvocationOutcome.Timeout, null, "timeout")]
    [InlineData(InvocationOutcome.OutOfMemory, "ignored", "error\tError Type: Runtime.OutOfMemory")]
    [InlineData(InvocationOutcome.Crashed, "Runtime.ExitError", "error\tError Type: Runtime.ExitError")]
    public void TheStatus_FollowsTheOutcome(InvocationOutcome outcome, string? errorType, string? status)
    {
        Assert.Equal(status, PlatformLogLines.Status(outcome, errorType));
        var record = new InvocationRecord("r1", "fn", "1", null, Start, 0.5, null, false, outcome, errorType, 7, null, 128);
        Assert.Equal(status is null ? "" : "\tStatus: " + status, PlatformLogLines.Report(record).Split("\tMax Memory Used: 7 MB")[1]);
    }
}
