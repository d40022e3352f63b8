using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// Where one invocation's log ends: on Lambda the runtime signals it is done by asking for the next event, so output
/// written after posting the response but before <c>invocation/next</c> still belongs to the invocation just answered.
/// </summary>
public sealed class LogBoundaryTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public LogBoundaryTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task Output_WrittenAfterTheResponseBeforeNext_BelongsToTheInvocationJustAnswered()
    {
        await _nimbus.DeployAsync("after-response", RepoPaths.Fixture("provided-after-response"), new FunctionConfigRequest { Runtime = "provided" });

        var first = await _nimbus.InvokeRawAsync("after-response", """{"n":1}""");
        // Sent while the worker is still cleaning up after the first event.
        var second = await _nimbus.InvokeRawAsync("after-response", """{"n":2}""");

        Assert.True(first.FunctionError is null && second.FunctionError is null, $"{first} / {second}");
        var logs = await _nimbus.LogsAsync("after-response", "limit=1000", l => l.Any(r => r.Message == "cleaned up after " + first.RequestId));
        var cleanup = Assert.Single(logs, r => r.Message == "cleaned up after " + first.RequestId);
        Assert.True(cleanup.RequestId == first.RequestId,
            $"the line written after answering {first.RequestId} was attributed to {cleanup.RequestId ?? "(none)"}; the second request was {second.RequestId}");
    }
}
