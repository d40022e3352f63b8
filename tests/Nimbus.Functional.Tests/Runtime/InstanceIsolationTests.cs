using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Runtime;

/// <summary>No process of an instance outlives it, whatever the worker forks and however the instance ends.</summary>
public sealed class InstanceIsolationTests : IClassFixture<SharedServer>, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private readonly NimbusTestServer _nimbus;
    private readonly string _sleep = HostProcesses.UniqueSleepArgument();

    public InstanceIsolationTests(SharedServer shared) => _nimbus = shared.Nimbus;

    /// <summary>A failed test must not leave its sleep behind for five minutes.</summary>
    public void Dispose()
    {
        foreach (var pid in HostProcesses.WithCommandLine("sleep", _sleep))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // gone meanwhile
            }
        }
    }

    [Fact]
    public async Task DeleteFunction_KillsAProcessTheWorkerDoubleForked()
    {
        var sleep = _sleep;
        await _nimbus.DeployAsync("double-forker", RepoPaths.Fixture("provided-forks"), Forking("double", sleep));
        await _nimbus.InvokeAsync("double-forker", new { n = 1 });
        var orphan = await FindSleepAsync(sleep);

        var deleted = await _nimbus.Client.DeleteAsync("/api/v1/functions/double-forker");

        await NimbusTestServer.EnsureSuccessAsync(deleted, "DELETE double-forker");
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!HostProcesses.IsRunning(orphan)), s_wait),
            $"the double-forked `sleep {sleep}` (pid {orphan}) still runs after its function was deleted");
    }

    [Fact]
    public async Task Timeout_KillsAProcessTheWorkerDoubleForked()
    {
        var sleep = _sleep;
        await _nimbus.DeployAsync("double-forker-slow", RepoPaths.Fixture("provided-forks"), Forking("double", sleep) with { TimeoutSeconds = 1 });

        var invocation = _nimbus.InvokeAsync("double-forker-slow", new { action = "hang" });
        var orphan = await FindSleepAsync(sleep);

        var timedOut = await invocation;

        Assert.Equal("Sandbox.Timedout", timedOut.ErrorType);
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!HostProcesses.IsRunning(orphan)), s_wait),
            $"the double-forked `sleep {sleep}` (pid {orphan}) still runs after its invocation timed out and the instance was killed");
    }

    [Fact]
    public async Task PlatformKilled_KillsAProcessTheWorkerStarted()
    {
        var sleep = _sleep;
        using var platform = await NimbusProcess.StartAsync();
        await platform.Remote.DeployAsync("child-starter", RepoPaths.Fixture("provided-forks"), Forking("child", sleep));
        await platform.Remote.InvokeAsync("child-starter");
        var child = await FindSleepAsync(sleep);

        platform.Process.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up

        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!HostProcesses.IsRunning(child)), s_wait),
            $"the worker's child `sleep {sleep}` (pid {child}) survived the platform being killed");
    }

    private static FunctionConfigRequest Forking(string how, string sleepArgument) => new()
    {
        Runtime = "provided",
        Environment = new() { ["FORK"] = how, ["SLEEP_ARGUMENT"] = sleepArgument },
    };

    private static async Task<int> FindSleepAsync(string sleepArgument)
    {
        var pids = Array.Empty<int>();
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult((pids = HostProcesses.WithCommandLine("sleep", sleepArgument)).Length == 1), s_wait),
            $"the worker should have started exactly one `sleep {sleepArgument}`, found {pids.Length}");
        return pids[0];
    }
}
