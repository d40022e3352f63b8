using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;
using Nimbus.Server.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Invocations;

/// <summary>What the one record of an invocation says, for each way it can end.</summary>
public sealed class InvocationRecordsTests
{
    private static readonly ExecutionTarget Target = new(new FunctionConfig { Name = "orders", Runtime = "node" }, "3", "sha", "orders:3");
    private static readonly DateTimeOffset FinishedAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_CompletedInvocation_StartsItsDurationBeforeItFinishedAndKeepsWhatTheInstanceMeasured()
    {
        var result = new InvocationResult
        {
            RequestId = "req-1", Outcome = InvocationOutcome.FunctionError, ErrorType = "TypeError", DurationMs = 250, ColdStart = true,
            InitDurationMs = 80, TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", MaxMemoryUsedMb = 61,
        };

        var record = InvocationRecords.From(InvocationSource.LambdaApi, Target, "live", result, FinishedAt);

        Assert.Equal(new InvocationRecord("req-1", "orders", "3", "live", FinishedAt.AddMilliseconds(-250), 250, 80, true,
            InvocationOutcome.FunctionError, "TypeError", 61, "4bf92f3577b34da6a3ce929d0e0e4736", MemorySizeMb: 128) { Source = "LambdaApi", TotalMs = 250 }, record);
    }

    [Fact]
    public void From_Throttle_NamesTheReasonAsItsErrorType()
    {
        var result = InvocationResult.Throttled("req-2", ThrottleReason.ReservedConcurrency, 5);

        var record = InvocationRecords.From(InvocationSource.QueueSource, Target, null, result, FinishedAt);

        Assert.Equal((InvocationOutcome.Throttled, "ReservedConcurrency", FinishedAt, 0d, false), (record.Outcome, record.ErrorType, record.StartedAt, record.DurationMs, record.ColdStart));
        Assert.Equal("QueueSource", record.Source);
    }

    [Fact]
    public void From_InitFailure_IsAColdStartWithTheInitErrorType()
    {
        var result = new InvocationResult { RequestId = "req-3", Outcome = InvocationOutcome.InitError, ErrorType = "Runtime.ExitError" };

        var record = InvocationRecords.From(InvocationSource.Api, Target, null, result, FinishedAt);

        Assert.Equal((InvocationOutcome.InitError, "Runtime.ExitError", true), (record.Outcome, record.ErrorType, record.ColdStart));
    }

    [Fact]
    public void SourceName_IsTheEnumNameForEverySource()
    {
        Assert.All(Enum.GetValues<InvocationSource>(), source => Assert.Equal(source.ToString(), InvocationRecords.SourceName(source)));
    }
}
