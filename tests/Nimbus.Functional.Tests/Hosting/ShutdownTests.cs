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
        var cli = Path.Combine(AppContext.BaseDirectory, "nimbus.dll");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-kill-" + Guid.NewGuid().ToString("n")[..8]);
        var port = FreePort();
        using var platform = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await NimbusTestServer.EventuallyAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/api/v1/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30)), "nimbus up did not start");

            var remote = new RemoteNimbus(client);
            await remote.DeployNodeAsync("orphan-check");
            await remote.InvokeAsync("orphan-check");
            var pids = await remote.WorkerPidsAsync();
            Assert.NotEmpty(pids);

            platform.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up

            foreach (var pid in pids)
            {
                Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(10)),
                    $"worker {pid} survived the platform being killed");
            }
        }
        finally
        {
            if (!platform.HasExited)
            {
                platform.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Sigterm_StopsARealNimbusUpGracefully_ExitCodeZero_NoWorkerLeft()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "nimbus.dll");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-term-" + Guid.NewGuid().ToString("n")[..8]);
        var port = FreePort();
        using var platform = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await NimbusTestServer.EventuallyAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/api/v1/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30)), "nimbus up did not start");
            var remote = new RemoteNimbus(client);
            await remote.DeployNodeAsync("term-check");
            await remote.InvokeAsync("term-check");
            var pids = await remote.WorkerPidsAsync();
            Assert.NotEmpty(pids);

            using (var kill = Process.Start("kill", ["-TERM", platform.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await platform.WaitForExitAsync(exited.Token);
            Assert.Equal(0, platform.ExitCode);
            Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still runs after SIGTERM"));
        }
        finally
        {
            if (!platform.HasExited)
            {
                platform.Kill(entireProcessTree: true);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
