using System.Text;
using Nimbus.Core.Errors;
using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Errors;

public sealed class ErrorGroupAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static InvocationRecord Failure(string requestId, string version, DateTimeOffset at, string type, string message, int line) =>
        new(requestId, "fn", version, null, at, 5, null, false, InvocationOutcome.FunctionError, type, 30, "trace-" + requestId, 128,
            LambdaError.Serialize(type, message, [$"at handler (/app/index.js:{line}:7)"]));

    [Fact]
    public void Add_SameBugInTwoVersions_CountsPerVersionInOneGroup()
    {
        var aggregator = new ErrorGroupAggregator();
        aggregator.Add(Failure("a", "1", T0, "Error", "boom 1", 10));
        aggregator.Add(Failure("b", "1", T0.AddSeconds(1), "Error", "boom 2", 11));
        aggregator.Add(Failure("c", "2", T0.AddSeconds(2), "Error", "boom 3", 12));
        aggregator.Add(Failure("d", "2", T0.AddSeconds(3), "TypeError", "bad", 12));

        var drained = aggregator.Drain();

        Assert.Equal(2, drained.Select(o => o.Fingerprint).Distinct().Count());
        var error = drained.Where(o => o.ErrorType == "Error").OrderBy(o => o.Version).ToList();
        Assert.Equal(["1", "2"], error.Select(o => o.Version));
        Assert.Equal([2L, 1L], error.Select(o => o.Count));
        Assert.Equal(T0, error[0].FirstSeen);
        Assert.Equal(T0.AddSeconds(1), error[0].LastSeen);
        Assert.Equal("b", error[0].SampleRequestId);
        Assert.Equal("boom 2", error[0].Message);
        Assert.Empty(aggregator.Drain());
    }

    [Fact]
    public void Add_TimeoutWithoutBody_GroupsByErrorType()
    {
        var aggregator = new ErrorGroupAggregator();
        var timeout = new InvocationRecord("t", "fn", "1", null, T0, 3000, null, false, InvocationOutcome.Timeout, ErrorTypes.Timeout, 30, null);
        aggregator.Add(timeout);
        aggregator.Add(timeout with { RequestId = "u" });
        aggregator.Add(timeout with { Outcome = InvocationOutcome.Success, ErrorType = null });
        aggregator.Add(timeout with { Outcome = InvocationOutcome.Throttled });

        var group = Assert.Single(aggregator.Drain());
        Assert.Equal(ErrorTypes.Timeout, group.ErrorType);
        Assert.Equal(2, group.Count);
    }

    [Fact]
    public void Parse_BodyThatIsNotJson_KeepsItsTextAsTheMessage()
    {
        var report = ErrorReport.Parse(Encoding.UTF8.GetBytes("segfault"), "Unhandled");

        Assert.Equal("Unhandled", report.ErrorType);
        Assert.Equal("segfault", report.Message);
        Assert.Empty(report.StackTrace);
    }
}
