using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>The real AWS CLI's <c>aws lambda invoke --invocation-type Event</c> against Nimbus.</summary>
public sealed class AsyncAwsCliTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public AsyncAwsCliTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task AwsCliInvoke_InvocationTypeEvent_PrintsStatusCode202AndTheEventRuns()
    {
        var aws = await AwsCli.FindAsync();
        var function = await RecorderFunction.DeployAsync(_nimbus.Client, "async-aws-cli");
        var outFile = Path.Combine(Path.GetTempPath(), $"nimbus-aws-event-{Guid.NewGuid():N}.json");
        try
        {
            var run = await aws.LambdaInvokeAsync(_nimbus.Server.BaseAddress, "async-aws-cli", """{"tag":"aws"}""", outFile, NimbusTestServer.AccessKey,
                "--invocation-type", "Event");

            Assert.True(run.ExitCode == 0, $"{aws.VersionText}: {run}");
            Assert.Equal(202, run.Json.GetProperty("StatusCode").GetInt32());
            var attempts = await function.WaitForAttemptsAsync(a => a.Length > 0, TimeSpan.FromSeconds(30));
            Assert.Single(attempts);
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
