using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>Every worker line lands on the request that wrote it, framed by START / END / REPORT.</summary>
public sealed class LogAttributionTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public LogAttributionTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task Logs_UnderConcurrentLoad_AreAttributedToTheRightRequest()
    {
        await _nimbus.DeployNodeAsync("chatty");
        const int lines = 5;

        var calls = Enumerable.Range(0, 24).Select(_ => _nimbus.InvokeAsync("chatty", new { action = "log", count = lines }));
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Null(r.FunctionError));
        Assert.True((await _nimbus.InstancesAsync("chatty")).Length > 1, "the load should have needed several instances");
        foreach (var result in results)
        {
            var requestId = result.RequestId!;
            var logs = await _nimbus.LogsAsync("chatty", $"requestId={requestId}", l => l.Count(r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)) == 1 && l.Count(r => r.Stream == "stdout") == lines);
            var own = logs.Where(r => r.Stream == "stdout").Select(r => r.Message).ToArray();
            Assert.Equal(Enumerable.Range(1, lines).Select(i => $"line {i} of {requestId}"), own);
            Assert.All(logs, r => Assert.Equal(requestId, r.RequestId));
            Assert.StartsWith("START RequestId: " + requestId, logs[0].Message);
            var report = Assert.Single(logs, r => r.Message.StartsWith("REPORT", StringComparison.Ordinal));
            Assert.Contains("Billed Duration:", report.Message);
            Assert.Contains("Memory Size: 128 MB", report.Message);
        }
    }

    [Fact]
    public async Task Logs_OfAColdStart_ReportInitDuration_AndCanBeFilteredByText()
    {
        await _nimbus.DeployNodeAsync("reporter");
        var result = await _nimbus.InvokeAsync("reporter", new { action = "log", count = 2 });

        var logs = await _nimbus.LogsAsync("reporter", $"requestId={result.RequestId}", l => l.Any(r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)));
        var filtered = await _nimbus.LogsAsync("reporter", "q=LINE%202", l => l.Length >= 1);

        Assert.Contains("Init Duration:", Assert.Single(logs, r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)).Message);
        Assert.Equal($"line 2 of {result.RequestId}", Assert.Single(filtered).Message);
        Assert.All(logs, r => Assert.Equal("$LATEST", r.Version));
    }
}
