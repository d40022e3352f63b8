using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// What a Python function written for Lambda relies on, on the python runtime client (runtimes/python/bootstrap.py):
/// the context object, the logging module, dotted module handlers and how a failed import is reported.
/// </summary>
public sealed class PythonRuntimeTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public PythonRuntimeTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task DeployAsync(string name, string handler, int memoryMb = 128, double timeoutSeconds = 10) =>
        _nimbus.DeployAsync(name, RepoPaths.Fixture("python-context"), new FunctionConfigRequest
        {
            Runtime = "python",
            Handler = handler,
            MemoryMb = memoryMb,
            TimeoutSeconds = timeoutSeconds,
        });

    [Fact]
    public async Task Context_CarriesLambdasAttributes()
    {
        await DeployAsync("py-context", "handler.handler", memoryMb: 192, timeoutSeconds: 12);

        var result = await _nimbus.InvokeAsync("py-context", new { action = "context" });

        Assert.True(result.FunctionError is null, $"py-context: {result}");
        var context = result.Json;
        Assert.Equal(result.RequestId, context.GetProperty("awsRequestId").GetString());
        Assert.Equal("py-context", context.GetProperty("functionName").GetString());
        Assert.Equal("$LATEST", context.GetProperty("functionVersion").GetString());
        // A string on Lambda, so code that does int(context.memory_limit_in_mb) keeps working.
        Assert.Equal("192", context.GetProperty("memoryLimitInMb").GetString());
        Assert.EndsWith(":function:py-context", context.GetProperty("invokedFunctionArn").GetString());
        Assert.Equal("/aws/lambda/py-context", context.GetProperty("logGroupName").GetString());
        Assert.InRange(context.GetProperty("remainingMs").GetInt64(), 1, 12_000 - 1);
    }

    [Fact]
    public async Task LoggingModule_WritesLevelledRecordsAttributedToTheRequest()
    {
        await DeployAsync("py-logging", "handler.handler");

        var first = await _nimbus.InvokeAsync("py-logging", new { action = "log", order = 41 });
        var second = await _nimbus.InvokeAsync("py-logging", new { action = "log", order = 42 });

        Assert.True(first.FunctionError is null && second.FunctionError is null, $"py-logging: {first} / {second}");
        var logs = await _nimbus.LogsAsync("py-logging", "limit=1000", l => l.Count(r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)) == 2);
        foreach (var (result, order) in new[] { (first, "41"), (second, "42") })
        {
            var records = logs.Where(r => r.Stream == "stdout" && r.Message.EndsWith(" order " + order, StringComparison.Ordinal))
                .Select(r => (r.Level, r.RequestId, r.Message)).ToArray();
            Assert.Equal(
                [("INFO", result.RequestId, "charging order " + order), ("WARN", result.RequestId, "card expires soon for order " + order)],
                records);
        }
    }

    [Fact]
    public async Task LoggingModule_MultiLineMessage_IsOneRecord()
    {
        // Lambda's runtimes write a multi-line message as one line with '\r' between its lines, so that it stays one record.
        await DeployAsync("py-multiline", "handler.handler");

        var result = await _nimbus.InvokeAsync("py-multiline", new { action = "multiline" });

        Assert.True(result.FunctionError is null, $"py-multiline: {result}");
        var logs = await _nimbus.LogsAsync("py-multiline", $"requestId={result.RequestId}",
            l => l.Any(r => r.Message.StartsWith("REPORT", StringComparison.Ordinal)) && l.Any(r => r.Stream == "stdout"));
        var written = logs.Where(r => r.Stream == "stdout").Select(r => (r.Level, r.Message)).ToArray();
        Assert.Equal([("ERROR", "payment failed\nretry in 5 s")], written);
    }

    [Fact]
    public async Task DottedHandler_ImportsTheModuleInsideItsPackage()
    {
        await DeployAsync("py-dotted", "pkg.mod.handler");

        var result = await _nimbus.InvokeAsync("py-dotted", new { n = 7 });

        Assert.True(result.FunctionError is null, $"py-dotted: {result}");
        Assert.Equal("pkg.mod", result.Json.GetProperty("module").GetString());
        Assert.Equal(7, result.Json.GetProperty("event").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task ModuleWhoseImportFails_IsAnImportModuleErrorInitError()
    {
        await DeployAsync("py-broken", "broken.handler");

        var result = await _nimbus.InvokeAsync("py-broken", new { });

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.ImportModuleError", result.ErrorType);
        Assert.Equal("Unable to import module 'broken': No module named 'requests_that_were_never_packaged'", result.ErrorMessage);
    }

    [Fact]
    public async Task HandlerNamingAMissingModule_IsAnImportModuleErrorInitError()
    {
        await DeployAsync("py-missing", "nowhere.handler");

        var result = await _nimbus.InvokeAsync("py-missing", new { });

        Assert.Equal("Runtime.ImportModuleError", result.ErrorType);
        Assert.Contains("Unable to import module 'nowhere'", result.ErrorMessage);
    }

    [Fact]
    public async Task Error_StackTraceAndLoggedTraceback_StartAtTheHandler_WithoutTheRuntimesFrames()
    {
        await DeployAsync("py-trace", "handler.handler");

        var failed = await _nimbus.InvokeAsync("py-trace", new { action = "fail", order = 42 });

        Assert.Equal(("Unhandled", "ValueError", "card declined for order 42"), (failed.FunctionError, failed.ErrorType, failed.ErrorMessage));
        var frames = failed.Json.GetProperty("stackTrace").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.True(frames.Length == 2, $"expected the handler's two frames (handler, charge): {string.Join(" | ", frames)}");
        Assert.All(frames, frame => Assert.Contains("handler.py", frame, StringComparison.Ordinal));
        Assert.DoesNotContain("bootstrap.py", string.Join("", frames), StringComparison.Ordinal);
        Assert.Contains("in handler", frames[0], StringComparison.Ordinal);
        Assert.Contains("in charge", frames[1], StringComparison.Ordinal);

        var logs = await _nimbus.LogsAsync("py-trace", $"requestId={failed.RequestId}", l => l.Any(r => r.Stream == "stdout" && r.Level == "ERROR"));
        var traceback = logs.Single(r => r.Stream == "stdout" && r.Level == "ERROR").Message;
        Assert.StartsWith("ValueError: card declined for order 42\nTraceback (most recent call last):\n", traceback, StringComparison.Ordinal);
        Assert.Contains("handler.py", traceback, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap.py", traceback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModuleThatRaisesOnImport_LoggedTracebackIsTheModulesOwnFrame()
    {
        await DeployAsync("py-raises-on-import", "raises_on_import.handler");

        var failed = await _nimbus.InvokeAsync("py-raises-on-import", new { });

        Assert.Equal(("Unhandled", "KeyError"), (failed.FunctionError, failed.ErrorType));
        var logs = await _nimbus.LogsAsync("py-raises-on-import", "limit=1000", l => l.Any(r => r.Stream == "stdout" && r.Level == "ERROR"));
        var traceback = logs.First(r => r.Stream == "stdout" && r.Level == "ERROR").Message;
        // The runtime's loader and Python's import machinery are not the function's: only the module's line is shown.
        Assert.StartsWith("KeyError: 'table_name'\nTraceback (most recent call last):\n", traceback, StringComparison.Ordinal);
        var frameLines = traceback.Split('\n').Where(l => l.StartsWith("  File ", StringComparison.Ordinal)).ToArray();
        var frame = Assert.Single(frameLines);
        Assert.Contains("raises_on_import.py\", line 4, in <module>", frame, StringComparison.Ordinal);
    }
}
