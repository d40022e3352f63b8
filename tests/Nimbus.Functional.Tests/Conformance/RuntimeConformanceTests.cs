using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nimbus.Core.Api;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Runtime.Sandbox;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// The same contract checked against every runtime, on the real server with real worker processes: what goes in comes
/// out, errors are reported as the runtime reports them, the deadline and the Lambda environment are visible, init
/// failures surface, and log lines land on the request that wrote them. What legitimately differs per runtime
/// (error type names, fixture files) is stated by the subclass; the cases themselves are shared.
/// </summary>
public abstract partial class RuntimeConformanceTests
{
    protected const int MemoryMb = 256;
    protected const double TimeoutSeconds = 30;

    protected RuntimeConformanceTests(SharedServer shared) => Nimbus = shared.Nimbus;

    protected NimbusTestServer Nimbus { get; }

    /// <summary>The runtime name deployed ("node", "python", "dotnet", "provided").</summary>
    protected abstract string Runtime { get; }

    /// <summary>The handler deployed; also what the worker must see as <c>_HANDLER</c>.</summary>
    protected abstract string Handler { get; }

    /// <summary>A file the fixture's package has at its root, so <c>LAMBDA_TASK_ROOT</c> can be checked to be the code.</summary>
    protected abstract string FileInTaskRoot { get; }

    /// <summary>The <c>errorType</c> of the fixture's <c>throw</c> action, as this runtime names the thrown error.</summary>
    protected abstract string ThrownErrorType { get; }

    /// <summary>The <c>errorType</c> of the fixture's failing initialisation.</summary>
    protected abstract string InitErrorType { get; }

    /// <summary>Text the init error's message must contain.</summary>
    protected virtual string InitErrorMessage => "init failed on purpose";

    /// <summary>Text every non-empty stack trace of this runtime mentions (the fixture's source); null when the runtime reports none.</summary>
    protected abstract string? StackTraceMentions { get; }

    /// <summary>Deploys the runtime's behaviour fixture under <paramref name="name"/>.</summary>
    protected abstract Task DeployAsync(string name, Dictionary<string, string>? environment = null);

    /// <summary>Deploys a function of this runtime whose initialisation fails.</summary>
    protected virtual Task DeployFailingInitAsync(string name) => DeployAsync(name, new() { ["FAIL_INIT"] = "1" });

    protected static FunctionConfigRequest Config(string runtime, string handler, Dictionary<string, string>? environment) => new()
    {
        Runtime = runtime,
        Handler = handler,
        MemoryMb = MemoryMb,
        TimeoutSeconds = TimeoutSeconds,
        Environment = environment,
    };

    private string Name(string test) => $"{Runtime}-{test}";

    [Fact]
    public async Task Echo_NestedJsonWithUnicode_ComesBackUnchanged()
    {
        var name = Name("echo");
        await DeployAsync(name);
        // Sent as raw UTF-8 (not \u escapes) so that every runtime has to decode and re-encode multi-byte text.
        const string payload = """
            {"action":"echo","order":{"customer":"Zoë Ångström","note":"naïve café — 東京 🚀","items":[{"sku":"ü-1","qty":2,"price":9.5},{"sku":"∑","qty":1,"tags":[]}],"paid":true,"coupon":null},"empty":{}}
            """;

        var result = await Nimbus.InvokeRawAsync(name, payload);

        Assert.True(result.Status == HttpStatusCode.OK && result.FunctionError is null, $"{Runtime} echo failed: {result}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload), JsonNode.Parse(result.Body)),
            $"{Runtime} echo changed the event.\nsent:     {payload}\nreturned: {result.Body}");
        Assert.Equal("$LATEST", result.ExecutedVersion);
    }

    [Fact]
    public async Task Throw_IsAFunctionErrorWithTheRuntimesErrorType_AndTheInstanceStaysWarm()
    {
        var name = Name("throw");
        await DeployAsync(name);

        var failed = await Nimbus.InvokeAsync(name, new { action = "throw", message = "card declined for order 42" });
        var after = await Nimbus.InvokeAsync(name, new { action = "echo", n = 1 });

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.True(failed.FunctionError == "Unhandled", $"{Runtime}: a thrown error is an unhandled function error: {failed}");
        Assert.Equal(ThrownErrorType, failed.ErrorType);
        Assert.Equal("card declined for order 42", failed.ErrorMessage);
        var hasTrace = failed.Json.TryGetProperty("stackTrace", out var stackTrace);
        if (StackTraceMentions is { } mentioned)
        {
            Assert.True(hasTrace && stackTrace.GetArrayLength() > 0, $"{Runtime} should report a stack trace: {failed}");
            Assert.Contains(mentioned, stackTrace.ToString());
        }
        else
        {
            Assert.True(!hasTrace || stackTrace.GetArrayLength() == 0, $"{Runtime} has no stack trace to report: {failed}");
        }

        Assert.Null(after.FunctionError);
        Assert.False(after.ColdStart, $"{Runtime}: a function error must not cost the instance: {after}");
    }

    [Fact]
    public async Task Deadline_RemainingTimeIsPositiveAndBelowTheTimeout()
    {
        var name = Name("deadline");
        await DeployAsync(name);
        await Nimbus.InvokeAsync(name, new { action = "echo" }); // warm, so init time does not eat into the budget

        var result = await Nimbus.InvokeAsync(name, new { action = "deadline" });

        Assert.True(result.FunctionError is null && result.Json.ValueKind == JsonValueKind.Number, $"{Runtime} deadline: {result}");
        var remainingMs = result.Json.GetDouble();
        // At most the whole timeout: the deadline is the dispatch time in whole milliseconds plus the timeout, so a warm
        // worker that reads its clock within the same millisecond sees exactly the timeout left.
        Assert.InRange(remainingMs, 0, TimeoutSeconds * 1000);
        // Far from the edge on purpose: this catches a deadline read in seconds or against the wrong clock, not speed.
        Assert.True(remainingMs > TimeoutSeconds * 1000 / 2, $"{Runtime} sees {remainingMs} ms left of a {TimeoutSeconds} s timeout");
    }

    [Fact]
    public async Task Env_HasTheLambdaVariables()
    {
        var name = Name("env");
        await DeployAsync(name, new() { ["GREETING"] = "grüß dich" });

        var result = await Nimbus.InvokeAsync(name, new { action = "env" });

        Assert.True(result.FunctionError is null, $"{Runtime} env: {result}");
        var env = result.Json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(name, env.GetValueOrDefault("AWS_LAMBDA_FUNCTION_NAME"));
        Assert.Equal("$LATEST", env.GetValueOrDefault("AWS_LAMBDA_FUNCTION_VERSION"));
        Assert.Equal(MemoryMb.ToString(CultureInfo.InvariantCulture), env.GetValueOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        Assert.Equal(Handler, env.GetValueOrDefault("_HANDLER"));
        Assert.Equal("grüß dich", env.GetValueOrDefault("GREETING"));
        var taskRoot = env.GetValueOrDefault("LAMBDA_TASK_ROOT");
        if (Nimbus.Server.Services.GetRequiredService<WorkerSandbox>().IsEnabled)
        {
            // In the sandbox the code is where Lambda puts it (that it ran shows the package is there).
            Assert.Equal(BubblewrapArguments.TaskRoot, taskRoot);
        }
        else
        {
            Assert.True(taskRoot is not null && File.Exists(Path.Combine(taskRoot, FileInTaskRoot)),
                $"{Runtime}: LAMBDA_TASK_ROOT '{taskRoot}' should be the unpacked code, with {FileInTaskRoot} in it");
        }

        Assert.Matches(HostPort(), env.GetValueOrDefault("AWS_LAMBDA_RUNTIME_API") ?? "");
        Assert.StartsWith("Root=1-", env.GetValueOrDefault("_X_AMZN_TRACE_ID") ?? "(unset)");
    }

    [Fact]
    public async Task InitError_IsReportedWithItsTypeAndMessage_AndLoggedAgainstTheRequest()
    {
        var name = Name("init-error");
        await DeployFailingInitAsync(name);

        var result = await Nimbus.InvokeAsync(name, new { action = "echo" });

        Assert.True(result.FunctionError == "Unhandled", $"{Runtime}: a failed init fails the invocation: {result}");
        Assert.Equal(InitErrorType, result.ErrorType);
        Assert.Contains(InitErrorMessage, result.ErrorMessage);
        var logs = await Nimbus.LogsAsync(name, $"requestId={result.RequestId}", l => l.Any(r => r.Message.StartsWith("INIT_FAILED", StringComparison.Ordinal)));
        var initFailed = Assert.Single(logs, r => r.Message.StartsWith("INIT_FAILED", StringComparison.Ordinal));
        Assert.Contains(InitErrorType, initFailed.Message);
        Assert.Equal("ERROR", initFailed.Level);
    }

    [Fact]
    public async Task Logs_AreAttributedToTheRequestThatWroteThem()
    {
        var name = Name("logs");
        await DeployAsync(name);

        var first = await Nimbus.InvokeAsync(name, new { action = "log", count = 3 });
        var second = await Nimbus.InvokeAsync(name, new { action = "log", count = 2 });

        Assert.True(first.FunctionError is null && second.FunctionError is null, $"{Runtime} log: {first} / {second}");
        // The whole log of the function, unfiltered: each line must carry the id of the request that wrote it.
        var logs = await Nimbus.LogsAsync(name, "limit=1000", l => l.Count(r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)) == 2);
        foreach (var (result, count) in new[] { (first, 3), (second, 2) })
        {
            var requestId = result.RequestId!;
            var lines = logs.Where(r => r.Message.StartsWith("line ", StringComparison.Ordinal) && r.Message.EndsWith(requestId, StringComparison.Ordinal)).ToArray();
            Assert.Equal(Enumerable.Range(1, count).Select(i => $"line {i} of {requestId}"), lines.Select(r => r.Message));
            Assert.All(lines, r => Assert.True(r.RequestId == requestId && r.Level == "INFO", $"{Runtime}: {r} should be an INFO line of {requestId}"));
            var own = logs.Where(r => r.RequestId == requestId).ToArray();
            Assert.Equal(count, own.Count(r => r.Message.StartsWith("line ", StringComparison.Ordinal)));
            Assert.StartsWith("START RequestId: " + requestId, own[0].Message);
            Assert.StartsWith("REPORT RequestId: " + requestId, own[^1].Message);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+:[0-9]{1,5}$")]
    private static partial Regex HostPort();
}
