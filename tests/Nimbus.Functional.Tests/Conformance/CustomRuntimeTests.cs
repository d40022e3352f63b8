using System.Net;
using Nimbus.Core.Api;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Runtime.Sandbox;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// Custom runtimes written the way a Lambda user writes them, from AWS's documentation alone, must run on Nimbus
/// unchanged: the bash runtime of AWS's tutorial (bootstrap + function.sh) and a Python bootstrap using urllib.
/// </summary>
public sealed class CustomRuntimeTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public CustomRuntimeTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task DeployTutorialAsync(string name, string handler) =>
        _nimbus.DeployAsync(name, RepoPaths.Fixture("aws-tutorial-runtime"), new FunctionConfigRequest { Runtime = "provided", Handler = handler });

    [Fact]
    public async Task AwsTutorialRuntime_RunsTheShellFunctionNamedByHandler_AndSeesTaskRootAndHandler()
    {
        await DeployTutorialAsync("tutorial", "function.handler");

        var result = await _nimbus.InvokeRawAsync("tutorial", """{"name":"Ada","tags":["x","y"]}""");

        Assert.True(result.Status == HttpStatusCode.OK && result.FunctionError is null, $"the tutorial runtime should answer: {result}");
        var body = result.Json;
        Assert.Equal("Ada", body.GetProperty("received").GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("received").GetProperty("tags").GetArrayLength());
        Assert.Equal("function.handler", body.GetProperty("handler").GetString());
        var taskRoot = body.GetProperty("taskRoot").GetString()!;
        if (_nimbus.Server.Services.GetRequiredService<WorkerSandbox>().IsEnabled)
        {
            // Sandboxed, the code is at Lambda's path (that function.sh ran shows it is there).
            Assert.Equal(BubblewrapArguments.TaskRoot, taskRoot);
        }
        else
        {
            Assert.True(File.Exists(Path.Combine(taskRoot, "function.sh")), $"LAMBDA_TASK_ROOT '{taskRoot}' should hold function.sh");
        }

        // The handler's stderr is the function's log, on the request that wrote it.
        var logs = await _nimbus.LogsAsync("tutorial", $"requestId={result.RequestId}", l => l.Any(r => r.Message.StartsWith("handling ", StringComparison.Ordinal)));
        Assert.Contains(logs, r => r.Stream == "stderr" && r.Message == """handling {"name":"Ada","tags":["x","y"]}""");
    }

    [Fact]
    public async Task AwsTutorialRuntime_FailingHandler_IsReportedThroughTheInvocationErrorEndpoint()
    {
        await DeployTutorialAsync("tutorial-fails", "function.handler");

        var failed = await _nimbus.InvokeRawAsync("tutorial-fails", """{"fail":true}""");
        var after = await _nimbus.InvokeRawAsync("tutorial-fails", """{"ok":1}""");

        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal("HandlerFailed", failed.ErrorType);
        Assert.Equal("handler exited with status 3", failed.ErrorMessage);
        Assert.True(after.FunctionError is null && !after.ColdStart, $"the runtime loop should go on serving on the same instance: {after}");
        Assert.Equal(1, after.Json.GetProperty("received").GetProperty("ok").GetInt32());
    }

    [Fact]
    public async Task AwsTutorialRuntime_HandlerNamingNoFunction_IsReportedThroughTheInitErrorEndpoint()
    {
        await DeployTutorialAsync("tutorial-no-function", "function.nosuch");

        var result = await _nimbus.InvokeRawAsync("tutorial-no-function", "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.HandlerNotFound", result.ErrorType);
        Assert.Equal("function.nosuch is not a shell function", result.ErrorMessage);
    }

    [Fact]
    public async Task PythonBootstrap_AnswersWithTheRequestIdAndDeadlineItReadFromTheHeaders()
    {
        await _nimbus.DeployAsync("py-bootstrap", RepoPaths.Fixture("provided-python"),
            new FunctionConfigRequest { Runtime = "provided", Handler = "inline", TimeoutSeconds = 20 });

        var result = await _nimbus.InvokeRawAsync("py-bootstrap", """{"city":"Zürich"}""");

        Assert.True(result.FunctionError is null, $"the python bootstrap should answer: {result}");
        var body = result.Json;
        Assert.Equal("Zürich", body.GetProperty("echo").GetProperty("city").GetString());
        Assert.Equal(result.RequestId, body.GetProperty("requestId").GetString());
        Assert.Equal("inline", body.GetProperty("handler").GetString());
        Assert.InRange(body.GetProperty("remainingMs").GetInt64(), 1, 20_000);
        var logs = await _nimbus.LogsAsync("py-bootstrap", $"requestId={result.RequestId}", l => l.Any(r => r.Stream == "stdout"));
        Assert.Contains(logs, r => r.Stream == "stdout" && r.Message == $"python custom runtime handling {result.RequestId}");
    }

    [Fact]
    public async Task PythonBootstrap_PostedError_KeepsItsTypeMessageAndStackTrace()
    {
        await _nimbus.DeployAsync("py-bootstrap-fails", RepoPaths.Fixture("provided-python"), new FunctionConfigRequest { Runtime = "provided" });

        var failed = await _nimbus.InvokeRawAsync("py-bootstrap-fails", """{"fail":"no stock"}""");

        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal("ValueError", failed.ErrorType);
        Assert.Equal("failing on request: no stock", failed.ErrorMessage);
        Assert.Contains("bootstrap", failed.Json.GetProperty("stackTrace")[0].GetString());
    }
}
