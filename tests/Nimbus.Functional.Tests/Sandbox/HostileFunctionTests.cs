using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Sandbox;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Sandbox;

/// <summary>
/// A hostile function on the real server, in the real sandbox, tries to reach the platform's database, another
/// function's code and environment, the platform's /proc and another instance's runtime port: every attempt fails. Its
/// /tmp is private and size-limited, its code read-only, its uid its own, and what it double-forks dies with it.
/// </summary>
public sealed class HostileFunctionTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private readonly string _sleep = HostProcesses.UniqueSleepArgument();
    private readonly string _hostTmpFile = Path.Combine("/tmp", "nimbus-hostile-" + Guid.NewGuid().ToString("n"));
    private NimbusTestServer _nimbus = null!;

    public async Task InitializeAsync()
    {
        _nimbus = await NimbusTestServer.StartAsync();
        await File.WriteAllTextAsync(_hostTmpFile, "the host's /tmp");
    }

    public async Task DisposeAsync()
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

        File.Delete(_hostTmpFile);
        await _nimbus.DisposeAsync();
    }

    [Fact]
    public async Task HostileFunction_CannotReachThePlatformOrAnotherFunction_AndDiesWhole()
    {
        var marker = "victim-secret-" + Guid.NewGuid().ToString("n");
        var victimCode = await _nimbus.DeployAsync("victim", RepoPaths.Fixture("behaviours-python"), new FunctionConfigRequest
        {
            Runtime = "python",
            Handler = "handler.handler",
            Environment = new() { ["VICTIM_MARKER"] = marker },
        });
        var warm = await _nimbus.InvokeAsync("victim", new { action = "echo" });
        Assert.True(warm.FunctionError is null, $"victim: {warm}");
        var victim = Assert.Single(await _nimbus.InstancesAsync("victim"));

        await _nimbus.DeployAsync("hostile", RepoPaths.Fixture("hostile-python"), new FunctionConfigRequest
        {
            Runtime = "python",
            Handler = "hostile.handler",
            MemoryMb = 256,
            TimeoutSeconds = 60,
        });
        var result = await _nimbus.InvokeAsync("hostile", new
        {
            dataDir = _nimbus.DataDirectory,
            platformPid = Environment.ProcessId,
            otherCodeDir = Path.Combine(_nimbus.DataDirectory, "code", victimCode.CodeSha256),
            otherPid = victim.ProcessId,
            otherMarker = marker,
            otherPort = victim.RuntimePort,
            hostTmpFile = _hostTmpFile,
            sleep = _sleep,
            fillTmpUpToMb = FunctionConfig.DefaultEphemeralStorageMb + 100,
        });

        Assert.True(result.FunctionError is null, $"hostile: {result}");
        var report = result.Json;
        foreach (var finding in report.GetProperty("findings").EnumerateObject())
        {
            Assert.False(finding.Value.GetProperty("ok").GetBoolean(),
                $"the hostile function's attempt '{finding.Name}' succeeded: {finding.Value.GetProperty("detail").GetString()}");
        }

        Assert.Contains("Read-only file system", report.GetProperty("findings").GetProperty("codeWrite").GetProperty("detail").GetString());
        var uid = report.GetProperty("uid").GetInt32();
        Assert.InRange(uid, FunctionUserRange.First, FunctionUserRange.First + FunctionUserRange.Count - 1);
        Assert.Equal(uid, report.GetProperty("gid").GetInt32());

        // Its own PID namespace: a handful of processes, none of them the platform.
        var processes = report.GetProperty("processes").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        Assert.DoesNotContain(Environment.ProcessId, processes);
        Assert.True(processes.Length < 10, $"the function sees {processes.Length} processes: {string.Join(",", processes)}");

        // /tmp is a private tmpfs of Lambda's default 512 MB: filling it stops there with ENOSPC.
        var tmp = report.GetProperty("tmp");
        Assert.Contains("No space left on device", tmp.GetProperty("error").GetString() ?? "(no error: the write never stopped)");
        Assert.InRange(tmp.GetProperty("stoppedAtMb").GetInt32(), 500, FunctionConfig.DefaultEphemeralStorageMb);

        // The double-forked grandchild runs as the function's uid on the host too (not only in a namespace's view) ...
        var orphan = Assert.Single(HostProcesses.WithCommandLine("sleep", _sleep));
        Assert.Equal(uid, HostUid(orphan));

        // ... and dies with its instance.
        var deleted = await _nimbus.Client.DeleteAsync("/api/v1/functions/hostile");
        await NimbusTestServer.EnsureSuccessAsync(deleted, "DELETE hostile");
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!HostProcesses.IsRunning(orphan)), s_wait),
            $"the hostile function's double-forked `sleep {_sleep}` (pid {orphan}) still runs after its function was deleted");
    }

    [Fact]
    public async Task Functions_RunAsUsersOfTheirOwn_StableAcrossInstances()
    {
        await _nimbus.DeployAsync("whoami-a", RepoPaths.Fixture("hostile-python"), WhoAmI());
        await _nimbus.DeployAsync("whoami-b", RepoPaths.Fixture("hostile-python"), WhoAmI());

        var a = await UidOfAsync("whoami-a");
        var b = await UidOfAsync("whoami-b");
        await NimbusTestServer.EnsureSuccessAsync(await _nimbus.Client.DeleteAsync("/api/v1/functions/whoami-a"), "DELETE whoami-a");
        await _nimbus.DeployAsync("whoami-a", RepoPaths.Fixture("hostile-python"), WhoAmI());
        var again = await UidOfAsync("whoami-a");

        Assert.NotEqual(a, b);
        Assert.Equal(a, again);
    }

    [Fact]
    public async Task EphemeralStorage_SizesTmp_AndIsValidatedAsLambdaDoes()
    {
        var tooSmall = await _nimbus.Client.PutAsJsonAsync("/api/v1/functions/eph", new FunctionConfigRequest { Runtime = "python", Handler = "hostile.whoami", EphemeralStorage = 511 }, NimbusTestServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, tooSmall.StatusCode);
        Assert.Contains("ephemeralStorage", await tooSmall.Content.ReadAsStringAsync());

        await _nimbus.DeployAsync("eph", RepoPaths.Fixture("hostile-python"), WhoAmI() with { EphemeralStorage = 700 });
        var result = await _nimbus.InvokeAsync("eph", new { });
        Assert.True(result.FunctionError is null, $"eph: {result}");
        Assert.Equal(700L * 1024 * 1024, result.Json.GetProperty("tmpBytes").GetInt64());
        var info = await _nimbus.Client.GetFromJsonAsync<FunctionInfo>("/api/v1/functions/eph", NimbusTestServer.Json);
        Assert.Equal(700, info!.EphemeralStorage);
    }

    [Fact]
    public async Task Status_ShowsTheSandboxMode()
    {
        var status = await _nimbus.Client.GetFromJsonAsync<StatusInfo>("/api/v1/status", NimbusTestServer.Json);

        Assert.Equal("bubblewrap", status!.Sandbox.Mode);
        Assert.Empty(status.Sandbox.Reasons);
        Assert.Equal(_nimbus.DataDirectory, status.DataDirectory);
        Assert.Equal("sqlite", status.Store.Kind);
    }

    [Fact]
    public async Task StatusVerb_SaysTheSandboxModeInTextAndJson()
    {
        var url = _nimbus.Server.BaseAddress.ToString();
        var (exit, text, _) = await Cli.CliInProcess.RunAsync(["status", "--url", url]);
        var (jsonExit, json, _) = await Cli.CliInProcess.RunAsync(["status", "--output", "json", "--url", url]);

        Assert.Equal(0, exit);
        Assert.Contains("sandbox        bubblewrap", text);
        Assert.Equal(0, jsonExit);
        Assert.Equal("bubblewrap", JsonDocument.Parse(json).RootElement.GetProperty("sandbox").GetProperty("mode").GetString());
    }

    private static FunctionConfigRequest WhoAmI() => new() { Runtime = "python", Handler = "hostile.whoami" };

    private async Task<int> UidOfAsync(string name)
    {
        var result = await _nimbus.InvokeAsync(name, new { });
        Assert.True(result.FunctionError is null, $"{name}: {result}");
        return result.Json.GetProperty("uid").GetInt32();
    }

    private static int HostUid(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
