using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public sealed class InvocationReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);

    private static readonly InvocationRecord Record =
        new("r1", "fn", "1", null, Start, 3.25, 120.5, true, InvocationOutcome.Timeout, null, 41, "t", 256);

    [Fact]
    public void AReportOfTheRecordsValues_DescribesIt_AndIsItsLine()
    {
        var report = new InvocationReport("r1", 3.25, 256, 41, 120.5, "timeout");

        Assert.True(report.Describes(Record));
        Assert.Equal(PlatformLogLines.Report(Record), report.Line);
    }

    public static TheoryData<InvocationReport> OneValueOff() =>
    [
        new InvocationReport("r2", 3.25, 256, 41, 120.5, "timeout"),
        new InvocationReport("r1", 3.26, 256, 41, 120.5, "timeout"),
        new InvocationReport("r1", 3.25, 128, 41, 120.5, "timeout"),
        new InvocationReport("r1", 3.25, 256, 40, 120.5, "timeout"),
        new InvocationReport("r1", 3.25, 256, 41, null, "timeout"),
        new InvocationReport("r1", 3.25, 256, 41, 120.25, "timeout"),
        new InvocationReport("r1", 3.25, 256, 41, 120.5, null),
    ];

    [Theory]
    [MemberData(nameof(OneValueOff))]
    public void AReportWithOneValueOff_DoesNotDescribeTheRecord_AndItsLineDiffers(InvocationReport report)
    {
        Assert.False(report.Describes(Record));
        Assert.NotEqual(PlatformLogLines.Report(Record), report.Line);
    }

    [Fact]
    public void ZeroAndMinusZero_AreDifferentDurations_AsTheirLinesAre()
    {
        var record = Record with { DurationMs = 0.0, Outcome = InvocationOutcome.Success, InitDurationMs = null };
        var report = new InvocationReport("r1", -0.0, 256, 41, null, null);

        Assert.False(report.Describes(record));
        Assert.NotEqual(PlatformLogLines.Report(record), report.Line);
    }
}
