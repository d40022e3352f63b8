using System.Net;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Runtime;

/// <summary>Real server, real node worker processes: the outcomes an invocation can have and what happens to the instance.</summary>
public sealed class InvocationLifecycleTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public InvocationLifecycleTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task Invoke_FirstCallIsColdWithInitDuration_SecondIsWarmOnTheSameInstance()
    {
        await _nimbus.DeployNodeAsync("cold-warm");

        var cold = await _nimbus.InvokeAsync("cold-warm", new { action = "echo", n = 1 });
        var warm = await _nimbus.InvokeAsync("cold-warm", new { action = "echo", n = 2 });

        Assert.Equal(HttpStatusCode.OK, cold.Status);
        Assert.True(cold.ColdStart, $"first call should be a cold start: {cold}");
        Assert.True(double.Parse(cold.Headers["X-Nimbus-Init-Duration-Ms"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(2, warm.Json.GetProperty("n").GetInt32());
        Assert.False(warm.ColdStart, $"second call should reuse the warm instance: {warm}");
        Assert.Equal("$LATEST", warm.ExecutedVersion);
        var instance = Assert.Single(await _nimbus.InstancesAsync("cold-warm"));
        Assert.Equal(2, instance.Invocations);
        Assert.NotNull(instance.InitDurationMs);
    }

    [Fact]
    public async Task Invoke_WhenFunctionThrows_ReturnsLambdaErrorJsonAndKeepsInstance()
    {
        await _nimbus.DeployNodeAsync("thrower");

        var failed = await _nimbus.InvokeAsync("thrower", new { action = "throw", message = "boom at checkout" });
        var after = await _nimbus.InvokeAsync("thrower", new { action = "echo" });

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal("Error", failed.ErrorType);
        Assert.Equal("boom at checkout", failed.ErrorMessage);
        Assert.True(failed.Json.GetProperty("stackTrace").GetArrayLength() > 0);
        Assert.Null(after.FunctionError);
        Assert.False(after.ColdStart, "a function error must not cost the instance");
    }

    [Fact]
    public async Task Invoke_WhenFunctionExceedsTimeout_ReturnsTimeoutAndReplacesInstance()
    {
        await _nimbus.DeployNodeAsync("slowpoke", timeoutSeconds: 1);
        var first = await _nimbus.InvokeAsync("slowpoke", new { action = "echo" });
        var pidBefore = Assert.Single(await _nimbus.InstancesAsync("slowpoke")).ProcessId;

        var timedOut = await _nimbus.InvokeAsync("slowpoke", new { action = "sleep", ms = 5000 });

        Assert.Equal("Sandbox.Timedout", timedOut.ErrorType);
        Assert.Equal("Task timed out after 1.00 seconds", timedOut.ErrorMessage);
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!ProcessExists(pidBefore)), TimeSpan.FromSeconds(5)),
            $"the timed-out worker (pid {pidBefore}) should have been killed");
        var next = await _nimbus.InvokeAsync("slowpoke", new { action = "echo" });
        Assert.Null(next.FunctionError);
        Assert.True(next.ColdStart, $"a fresh instance should serve the call after a timeout: {next}");
        Assert.True(first.ColdStart);
    }

    [Fact]
    public async Task Invoke_WhenWorkerExceedsMemory_ReturnsOutOfMemoryAndRecovers()
    {
        await _nimbus.DeployNodeAsync("hungry", memoryMb: 128);

        var result = await _nimbus.InvokeAsync("hungry", new { action = "alloc", mb = 1000 }); // touching 1 GB outlasts several 100 ms memory samples
        var after = await _nimbus.InvokeAsync("hungry", new { action = "echo" });

        Assert.Equal("Runtime.OutOfMemory", result.ErrorType);
        Assert.Contains("128 MB", result.ErrorMessage);
        Assert.Null(after.FunctionError);
        Assert.True(after.ColdStart);
    }

    [Fact]
    public async Task Invoke_WhenWorkerCrashesMidInvocation_ReportsExitCodeThenNextCallSucceeds()
    {
        await _nimbus.DeployNodeAsync("crasher");

        var crashed = await _nimbus.InvokeAsync("crasher", new { action = "crash", code = 3 });
        var after = await _nimbus.InvokeAsync("crasher", new { action = "echo", ok = true });

        Assert.Equal("Runtime.ExitError", crashed.ErrorType);
        Assert.Contains("exit status 3", crashed.ErrorMessage);
        Assert.Null(after.FunctionError);
        Assert.True(after.Json.GetProperty("ok").GetBoolean());
        Assert.True(after.ColdStart, "the crashed instance must be replaced by a fresh one");
    }

    [Fact]
    public async Task Invoke_WhenInitFails_ReturnsInitErrorAndBacksOffInsteadOfRespawning()
    {
        await _nimbus.DeployNodeAsync("broken-init", environment: new() { ["FAIL_INIT"] = "1" });

        var first = await _nimbus.InvokeAsync("broken-init", new { action = "echo" });
        var second = await _nimbus.InvokeAsync("broken-init", new { action = "echo" });

        Assert.Equal("Unhandled", first.FunctionError);
        Assert.True(first.ErrorType == "Error", $"the type of what the module threw at load, as Lambda reports it: {first}");
        Assert.Contains("init failed on purpose", first.ErrorMessage);
        Assert.True(second.ErrorMessage!.Contains("next attempt in", StringComparison.Ordinal), $"the second call should fail fast: {second}");
        // The failed instance was killed; it leaves the list once its exit has been seen.
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await _nimbus.InstancesAsync("broken-init")).Length == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Invoke_BeyondReservedConcurrency_IsThrottledWith429NamingTheLimit()
    {
        await _nimbus.DeployNodeAsync("narrow", reserved: 1);
        await _nimbus.InvokeAsync("narrow", new { action = "echo" }); // warm up, so the slow call starts at once

        var slow = _nimbus.InvokeAsync("narrow", new { action = "sleep", ms = 1500 });
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await _nimbus.InstancesAsync("narrow")).Any(i => i.State == "Busy"), TimeSpan.FromSeconds(5)));
        var throttled = await _nimbus.InvokeAsync("narrow", new { action = "echo" });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Contains("reserved concurrency of 1", throttled.Json.GetProperty("detail").GetString());
        Assert.Equal("ReservedConcurrency", throttled.Json.GetProperty("reason").GetString());
        Assert.Null((await slow).FunctionError);
    }

    [Fact]
    public async Task Invoke_WithReservedConcurrencyZero_IsRefusedAsDisabled()
    {
        await _nimbus.DeployNodeAsync("switched-off", reserved: 0);

        var result = await _nimbus.InvokeAsync("switched-off", new { action = "echo" });

        Assert.Equal(HttpStatusCode.TooManyRequests, result.Status);
        Assert.Equal("Function disabled", result.Json.GetProperty("title").GetString());
        Assert.Contains("reserved concurrency is 0", result.Json.GetProperty("detail").GetString());
        Assert.Empty(await _nimbus.InstancesAsync("switched-off"));
    }

    [Fact]
    public async Task Invoke_UnknownFunctionOrQualifier_Returns404ProblemDetails()
    {
        await _nimbus.DeployNodeAsync("known");

        var unknown = await _nimbus.InvokeAsync("nope", new { });
        var badVersion = await _nimbus.InvokeAsync("known:7", new { });

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("Function not found: nope", unknown.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, badVersion.Status);
        Assert.Contains("known:7", badVersion.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Invoke_WithPayloadOver6MB_Returns413AndRunsNothing()
    {
        await _nimbus.DeployNodeAsync("big-payload");

        var result = await _nimbus.InvokeAsync("big-payload", new { action = "echo", blob = new string('x', 6 * 1024 * 1024 + 10) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Contains("6 MB", result.Json.GetProperty("detail").GetString());
        Assert.Empty(await _nimbus.InstancesAsync("big-payload"));
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");
}
