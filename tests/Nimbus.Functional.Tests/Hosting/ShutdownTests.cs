using System.Diagnostics;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Hosting;

/// <summary>No worker process outlives the platform: not on a graceful stop, not when the platform is killed.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task GracefulStop_FinishesInFlightInvocation_AndLeavesNoWorkerRunning()
    {
        var nimbus = await NimbusTestServer.StartAsync();
        await nimbus.DeployNodeAsync("goodbye");
        await nimbus.DeployNodeAsync("goodbye-too");
        await Task.WhenAll(nimbus.InvokeAsync("goodbye", new { action = "echo" }), nimbus.InvokeAsync("goodbye-too", new { action = "echo" }));
        var inFlight = nimbus.InvokeAsync("goodbye", new { action = "sleep", ms = 1000 });
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await nimbus.InstancesAsync("goodbye")).Any(i => i.State == "Busy"), TimeSpan.FromSeconds(5)));
        var pids = (await nimbus.InstancesAsync()).Select(i => i.ProcessId).ToArray();
        Assert.True(pids.Length >= 2);

        await nimbus.Server.StopAsync(CancellationToken.None);

        var finished = await inFlight;
        Assert.Null(finished.FunctionError);
        Assert.Equal(1000, finished.Json.GetProperty("slept").GetInt32());
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still runs after shutdown"));
        await nimbus.DisposeAsync();
    }

    [Fact]
    public async Task PlatformKilled_WorkersNoticeAndExit()
    {
        using var platform = await NimbusProcess.StartAsync();
        await platform.Remote.DeployNodeAsync("orphan-check");
        await platform.Remote.InvokeAsync("orphan-check");
        var pids = await platform.Remote.WorkerPidsAsync();
        Assert.NotEmpty(pids);

        platform.Process.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up

        foreach (var pid in pids)
        {
            Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(10)),
                $"worker {pid} survived the platform being killed");
        }
    }

    [Fact]
    public async Task Sigterm_StopsARealNimbusUpGracefully_ExitCodeZero_NoWorkerLeft()
    {
        using var platform = await NimbusProcess.StartAsync();
        await platform.Remote.DeployNodeAsync("term-check");
        await platform.Remote.InvokeAsync("term-check");
        var pids = await platform.Remote.WorkerPidsAsync();
        Assert.NotEmpty(pids);

        using (var kill = Process.Start("kill", ["-TERM", platform.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await platform.Process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, platform.Process.ExitCode);
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still runs after SIGTERM"));
    }
}
