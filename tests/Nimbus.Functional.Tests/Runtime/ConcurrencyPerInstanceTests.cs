using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Instances;
using Nimbus.Server.Runtime.Linux;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Runtime;

/// <summary>
/// <c>concurrencyPerInstance</c> with real workers: one process serves several invocations at once, each call keeps its
/// own logs, and a crash fails every call the process had.
/// </summary>
public sealed class ConcurrencyPerInstanceTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public ConcurrencyPerInstanceTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task DeployNodeAsync(string name, int slots) =>
        _nimbus.DeployAsync(name, RepoPaths.Fixture("behaviours-node"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            TimeoutSeconds = 30,
            ConcurrencyPerInstance = slots,
        });

    [Fact]
    public async Task Node_WithFourSlots_ServesFourSlowCallsOnOneProcess_EachWithItsOwnLogs()
    {
        await DeployNodeAsync("cpi-node", slots: 4);

        await AssertFourCallsOnOneProcessAsync("cpi-node");
    }

    [Fact]
    public async Task Dotnet_WithFourSlots_ServesFourSlowCallsOnOneProcess_EachWithItsOwnLogs()
    {
        var put = await _nimbus.Client.PutAsJsonAsync("/api/v1/functions/cpi-dotnet", new FunctionConfigRequest
        {
            Runtime = "dotnet",
            Handler = "BehavioursDotnet",
            TimeoutSeconds = 30,
            ConcurrencyPerInstance = 4,
        }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "PUT config of cpi-dotnet");
        await _nimbus.UploadCodeAsync("cpi-dotnet", await Conformance.DotnetConformanceTests.PackageAsync());

        await AssertFourCallsOnOneProcessAsync("cpi-dotnet");
    }

    [Fact]
    public async Task AnInstanceWithSixteenSlots_GetsTheCpuWeightOfSixteenProcesses_WhenTheKernelGroupsBySession()
    {
        await DeployNodeAsync("cpi-weight", slots: 16);
        var result = await _nimbus.InvokeAsync("cpi-weight", new { action = "echo", message = "weight" });
        Assert.True(result.FunctionError is null, result.ToString());

        var instance = Assert.Single(await _nimbus.InstancesAsync("cpi-weight"));
        // The test runs nimbus as a child process in its own session: the worker's session is the one that differs.
        var own = Autogroup.Group(Environment.ProcessId);
        if (!Autogroup.Enabled || own is null || Environment.UserName != "root")
        {
            Assert.Null(instance.SchedulingNice); // no groups to weigh, or no right to raise a weight: nothing claimed
            return;
        }

        Assert.Equal(SchedulingWeight.NiceFor(16), instance.SchedulingNice);
        var groups = ProcessTree.GetDescendants(instance.ProcessId).Prepend(instance.ProcessId)
            .Select(Autogroup.Group).OfType<(string Name, int Nice)>().Where(g => g.Name != own.Value.Name).Distinct().ToArray();
        var worker = Assert.Single(groups);
        Assert.Equal(-12, worker.Nice);
    }

    private async Task AssertFourCallsOnOneProcessAsync(string name)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _nimbus.InvokeAsync(name, new { action = "sleepLog", ms = 1000 })));

        Assert.All(results, r => Assert.True(r.FunctionError is null, r.ToString()));
        var instances = await _nimbus.InstancesAsync(name);
        Assert.True(instances.Length == 1, string.Join("; ", instances.Select(i => i.ToString())) + " | " + string.Join("; ", results.Select(r => r.ToString())));
        var instance = instances[0];
        Assert.Equal(4, instance.Slots);
        Assert.Equal(4, instance.Invocations);

        var requestIds = results.Select(r => r.RequestId!).ToArray();
        var logs = await _nimbus.LogsAsync(name, "limit=200",
            l => requestIds.All(id => l.Any(r => r.Message == $"after {id}")));
        // Served at once, not one after another: every call had begun before any ended.
        var lastBefore = logs.Where(r => r.Message.StartsWith("before ", StringComparison.Ordinal)).Max(r => r.Id);
        var firstAfter = logs.Where(r => r.Message.StartsWith("after ", StringComparison.Ordinal)).Min(r => r.Id);
        Assert.True(lastBefore < firstAfter, "all four calls should have been in the handler at once");
        foreach (var id in requestIds)
        {
            var own = logs.Where(r => r.Message == $"before {id}" || r.Message == $"after {id}").ToArray();
            Assert.Equal(2, own.Length);
            Assert.All(own, r => Assert.Equal(id, r.RequestId));
        }
    }

    [Fact]
    public async Task Node_CrashOnASharedInstance_FailsEveryCallInFlight_EachByItsRequestId()
    {
        await DeployNodeAsync("cpi-crash", slots: 3);
        var sleepers = Enumerable.Range(0, 2).Select(_ => _nimbus.InvokeAsync("cpi-crash", new { action = "sleep", ms = 20_000 })).ToArray();
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await _nimbus.InstancesAsync("cpi-crash")).Sum(i => i.InFlight) == 2,
            TimeSpan.FromSeconds(15)), "the two sleeping calls should be in flight");

        var crash = await _nimbus.InvokeAsync("cpi-crash", new { action = "crash", code = 3 });
        var results = (await Task.WhenAll(sleepers).WaitAsync(TimeSpan.FromSeconds(15))).Append(crash).ToArray();

        foreach (var result in results)
        {
            Assert.Equal("Runtime.ExitError", result.ErrorType);
            Assert.Contains($"RequestId: {result.RequestId} Error: Runtime exited with error: exit status 3", result.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await _nimbus.InstancesAsync("cpi-crash")).Length == 0, TimeSpan.FromSeconds(10)));
    }
}
