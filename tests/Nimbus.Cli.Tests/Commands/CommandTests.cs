using System.Text;
using System.Text.Json;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Api;
using Nimbus.Core.Logs;

namespace Nimbus.Cli.Tests.Commands;

/// <summary>Verbs end to end through <see cref="CliApp"/>, against canned API answers: output, stderr and exit codes.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private StubApiServer _stub = null!;

    private string Url => _stub.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _stub = await StubApiServer.StartAsync();

        // invoke reads the function's timeout (and its versions' for a qualifier) to know how long to wait.
        _stub.On("GET", "/api/v1/functions/orders", 200, Samples.Json(Samples.Function("orders")))
            .On("GET", "/api/v1/functions/orders/versions", 200, Samples.Json(new[] { Samples.Version("orders", 1) }));
    }

    private IEnumerable<RecordedRequest> Invocations => _stub.Requests.Where(r => r.Method == "POST");

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync([.. args, "--url", Url]);

    private static Dictionary<string, string> InvokeHeaders(bool cold = false) => new()
    {
        [NimbusHeaders.RequestId] = "4f3c2a1b-0000-0000-0000-000000000001",
        [NimbusHeaders.ExecutedVersion] = "3",
        [NimbusHeaders.Duration] = "12.5",
        [NimbusHeaders.ColdStart] = cold ? "true" : "false",
        [NimbusHeaders.InitDuration] = "120",
    };

    [Fact]
    public async Task Invoke_PrintsBodyOnStdout_AndDetailsOnStderr()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{\"total\":42}", InvokeHeaders(cold: true));

        var run = await Run("invoke", "orders:live", "--payload", "{\"id\":7}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"total\":42}", run.Out);
        Assert.Equal("request 4f3c2a1b-0000-0000-0000-000000000001  version 3  cold start (init 120 ms)  duration 12.5 ms\n", run.Error);
        var request = Assert.Single(Invocations);
        Assert.Equal("?qualifier=live", request.Query);
        Assert.Equal("{\"id\":7}", request.BodyText);
    }

    [Fact]
    public async Task Invoke_WithoutPayload_SendsAnEmptyObject()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "null", InvokeHeaders());

        await Run("invoke", "orders");

        Assert.Equal("{}", Assert.Single(Invocations).BodyText);
    }

    [Fact]
    public async Task Invoke_PayloadFromFileAndFromStdin()
    {
        using var directory = new TempDirectory();
        directory.Write("event.json", "{\"from\":\"file\"}");
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{}", InvokeHeaders());

        await CliRun.RunAsync(["invoke", "orders", "--payload", "@event.json", "--url", Url], workingDirectory: directory.Path);
        await CliRun.RunAsync(["invoke", "orders", "--payload", "-", "--url", Url], input: () => new MemoryStream(Encoding.UTF8.GetBytes("{\"from\":\"stdin\"}")));

        Assert.Equal(["{\"from\":\"file\"}", "{\"from\":\"stdin\"}"], Invocations.Select(r => r.BodyText));
    }

    [Fact]
    public async Task Invoke_MissingPayloadFile_IsAUsageError()
    {
        var run = await Run("invoke", "orders", "--payload", "@/nonexistent/event.json");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus: cannot read payload file", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Invoke_FunctionError_ExitsWith1_AndStillPrintsTheErrorJson()
    {
        const string error = "{\"errorMessage\":\"boom\",\"errorType\":\"TypeError\",\"stackTrace\":[]}";
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, error,
            new Dictionary<string, string>(InvokeHeaders()) { [NimbusHeaders.FunctionError] = "Unhandled" });

        var run = await Run("invoke", "orders");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(error, run.Out);
        Assert.Contains("nimbus: function error (Unhandled)", run.Error);
    }

    [Fact]
    public async Task Invoke_JsonOutput_WrapsPayloadAndDetails()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{\"total\":42}", InvokeHeaders(cold: true));

        var run = await Run("invoke", "orders", "--output", "json");

        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.Equal("4f3c2a1b-0000-0000-0000-000000000001", root.GetProperty("requestId").GetString());
        Assert.Equal("3", root.GetProperty("executedVersion").GetString());
        Assert.True(root.GetProperty("coldStart").GetBoolean());
        Assert.Equal(12.5, root.GetProperty("durationMs").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("functionError").ValueKind);
        Assert.Equal(42, root.GetProperty("payload").GetProperty("total").GetInt32());
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Invoke_JsonOutput_KeepsANonJsonPayloadAsAString()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "plain text", InvokeHeaders(), contentType: "text/plain");

        var run = await Run("invoke", "orders", "-o", "json");

        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal("plain text", document.RootElement.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Invoke_UnknownFunction_ExitsWith4_AndOneLine()
    {
        _stub.On("GET", "/api/v1/functions/ghost", 404, Samples.Problem(404, "Function not found", "No function named 'ghost'."))
            .On("POST", "/api/v1/functions/ghost/invoke", 404, Samples.Problem(404, "Function not found", "No function named 'ghost'."));

        var run = await Run("invoke", "ghost");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("nimbus: Function not found: No function named 'ghost'.\n", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Invoke_Throttled_ExitsWith1()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 429, Samples.Problem(429, "Throttled", "reserved concurrency 2 reached"));

        var run = await Run("invoke", "orders");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("nimbus: Throttled: reserved concurrency 2 reached\n", run.Error);
    }

    [Fact]
    public async Task UnreachableServer_ExitsWith3()
    {
        var url = Url;
        await _stub.DisposeAsync();

        var run = await CliRun.RunAsync(["functions", "list", "--url", url]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"nimbus: cannot reach Nimbus at {url.TrimEnd('/')}: is `nimbus up` running?\n", run.Error);
    }

    [Fact]
    public async Task ServerAddress_ComesFromNimbusUrl_WhenNoUrlOption()
    {
        _stub.On("GET", "/api/v1/functions", 200, "[]");

        var run = await CliRun.RunAsync(["functions", "list"], environmentUrl: Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task FunctionsList_PrintsAnAlignedTable()
    {
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { Samples.Function("orders"), Samples.Function("a-much-longer-name", sha: null) }));

        var run = await Run("functions", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "NAME                RUNTIME  MEMORY  TIMEOUT    CODE  SHA256    ROUTES  UPDATED\n" +
            "a-much-longer-name  node     128 MB      3 s       -  -         1       2026-11-22 03:05:00Z\n" +
            "orders              node     128 MB      3 s  3.1 KB  1a2b3c4d  1       2026-11-22 03:05:00Z\n",
            run.Out);
    }

    [Fact]
    public async Task FunctionsList_JsonOutput_IsTheApiShape()
    {
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { Samples.Function("orders") }));

        var run = await Run("functions", "list", "--output", "json");

        using var document = JsonDocument.Parse(run.Out);
        var function = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("orders", function.GetProperty("name").GetString());
        Assert.Equal(128, function.GetProperty("memoryMb").GetInt32());
        Assert.Equal("1a2b3c4d5e6f", function.GetProperty("codeSha256").GetString());
    }

    [Fact]
    public async Task FunctionsGet_ShowsConfigurationRoutesAndEnvironment()
    {
        _stub.On("GET", "/api/v1/functions/orders", 200, Samples.Json(Samples.Function("orders")));

        var run = await Run("functions", "get", "orders");

        Assert.Contains("handler      index.handler\n", run.Out);
        Assert.Contains("route        GET /hello -> live\n", run.Out);
        Assert.Contains("environment  GREETING=hello\n", run.Out);
        Assert.Contains("code         3.1 KB  sha256 1a2b3c4d5e6f\n", run.Out);
    }

    [Fact]
    public async Task FunctionsGet_UnknownFunction_ExitsWith4()
    {
        var run = await Run("functions", "get", "ghost");

        Assert.Equal(4, run.ExitCode);
        Assert.StartsWith("nimbus: Not Found", run.Error);
    }

    [Fact]
    public async Task FunctionsDelete_SendsDelete()
    {
        _stub.On("DELETE", "/api/v1/functions/orders", 204);

        var run = await Run("functions", "delete", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("DELETE /api/v1/functions/orders", Assert.Single(_stub.Requests).ToString());
        Assert.Contains("deleted function orders", run.Error);
    }

    [Fact]
    public async Task VersionsListAndPublish()
    {
        _stub.On("GET", "/api/v1/functions/orders/versions", 200, Samples.Json(new[] { Samples.Version("orders", 2), Samples.Version("orders", 1) }))
            .On("POST", "/api/v1/functions/orders/versions", 201, Samples.Json(Samples.Version("orders", 3)));

        var list = await Run("versions", "list", "orders");
        var publish = await Run("versions", "publish", "orders", "--description", "hotfix");

        Assert.Equal(
            "VERSION  SHA256      CODE  RUNTIME  MEMORY  CREATED               DESCRIPTION\n" +
            "      1  abcdef01  3.1 KB  node     128 MB  2026-11-22 03:01:00Z  v1\n" +
            "      2  abcdef01  3.1 KB  node     128 MB  2026-11-22 03:02:00Z  v2\n",
            list.Out);
        Assert.Equal("orders: published version 3 (sha256 abcdef01)\n", publish.Out);
        Assert.Equal("{\"description\":\"hotfix\"}", _stub.Requests[^1].BodyText);
    }

    [Fact]
    public async Task AliasSet_WithWeight_SendsItAndShowsTheSplit()
    {
        _stub.On("PUT", "/api/v1/functions/orders/aliases/live", 200, Samples.Json(Samples.Alias("orders", "live", 3, new() { ["4"] = 0.1 })));

        var run = await Run("alias", "set", "orders", "live", "3", "--weight", "4=0.1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("orders: alias live -> 3 (90%), 4 (10%)\n", run.Out);
        var body = Assert.Single(_stub.Requests).BodyText;
        Assert.Contains("\"version\":\"3\"", body);
        Assert.Contains("\"additionalVersionWeights\":{\"4\":0.1}", body);
    }

    [Fact]
    public async Task AliasSet_UnknownVersion_IsAValidationError()
    {
        _stub.On("PUT", "/api/v1/functions/orders/aliases/live", 400, Samples.Problem(400, "Invalid alias", "version 9 does not exist"));

        var run = await Run("alias", "set", "orders", "live", "9");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("nimbus: Invalid alias: version 9 does not exist\n", run.Error);
    }

    [Fact]
    public async Task AliasList_PrintsRouting()
    {
        _stub.On("GET", "/api/v1/functions/orders/aliases", 200, Samples.Json(new[]
        {
            Samples.Alias("orders", "live", 3, new() { ["4"] = 0.25 }),
            Samples.Alias("orders", "beta", 4),
        }));

        var run = await Run("alias", "list", "orders");

        Assert.Equal(
            "ALIAS  VERSION  ROUTING           UPDATED               DESCRIPTION\n" +
            "beta         4  4                 2026-11-22 03:00:00Z\n" +
            "live         3  3 (75%), 4 (25%)  2026-11-22 03:00:00Z\n",
            run.Out);
    }

    [Fact]
    public async Task ProvisionedSet_PutsTheCount()
    {
        _stub.On("PUT", "/api/v1/functions/orders/provisioned-concurrency/live", 200, "{}");

        var run = await Run("provisioned", "set", "orders", "live", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"count\":3}", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task InstancesList_PrintsATable()
    {
        _stub.On("GET", "/api/v1/instances", 200, Samples.Json(new[]
        {
            new InstanceInfo("i-1", "orders", "3", 4242, 9001, "Idle", true, Samples.Created, 120.5, 7, Samples.Created.AddMinutes(1)),
        }));

        var run = await Run("instances", "list");

        Assert.Equal(
            "ID   FUNCTION  VERSION  STATE   PID  PROVISIONED  INVOCATIONS      INIT  STARTED               LAST USED\n" +
            "i-1  orders    3        Idle   4242  yes                    7  120.5 ms  2026-11-22 03:00:00Z  2026-11-22 03:01:00Z\n",
            run.Out);
    }

    [Fact]
    public async Task Logs_PrintsReadableLines_AndSendsSinceAsAnAbsoluteTime()
    {
        _stub.On("GET", "/api/v1/functions/orders/logs", 200, Samples.Json(new[]
        {
            new LogRecord(1, new DateTimeOffset(2026, 11, 22, 3, 15, 44, 123, TimeSpan.Zero), "orders", "3", "1a2b3c4d-ffff", null, "INFO", "stdout", "placed", null),
            new LogRecord(2, new DateTimeOffset(2026, 11, 22, 3, 15, 45, 0, TimeSpan.Zero), "orders", "3", "1a2b3c4d-ffff", null, "ERROR", "stderr", "failed", null),
        }));
        var now = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

        var run = await CliRun.RunAsync(["logs", "orders", "--since", "1h", "--level", "info", "--url", Url], time: new FixedTimeProvider(now));

        Assert.Equal(
            "2026-11-22T03:15:44.123Z  1a2b3c4d  INFO   placed\n" +
            "2026-11-22T03:15:45.000Z  1a2b3c4d  ERROR  failed\n",
            run.Out);
        Assert.Equal("?since=2026-11-22T03%3A00%3A00.0000000Z&level=INFO&limit=1000", Assert.Single(_stub.Requests).Query);
    }

    /// <summary>Runs <c>nimbus logs orders --follow</c> against answers by poll number (from 1), cancelled after <paramref name="polls"/> polls.</summary>
    private async Task<CliRun> FollowLogsAsync(Func<int, StubResponse> answer, int polls)
    {
        var count = 0;
        _stub.On("GET", "/api/v1/functions/orders/logs", request => answer(Interlocked.Increment(ref count)));
        using var cancel = new CancellationTokenSource();
        _stub.RequestReceived += request =>
        {
            if (Volatile.Read(ref count) >= polls)
            {
                cancel.Cancel();
            }
        };

        return await CliRun.RunAsync(["logs", "orders", "--follow", "--url", Url], cancellationToken: cancel.Token);
    }

    [Fact]
    public async Task LogsFollow_PollsAfterTheLastId_UntilCancelled()
    {
        var run = await FollowLogsAsync(poll => poll switch
        {
            1 => new StubResponse(200, Samples.Json(new[] { Log(10, "first") })),
            3 => new StubResponse(200, Samples.Json(new[] { Log(11, "second"), Log(12, "third") })),
            _ => new StubResponse(200, "[]"),
        }, polls: 4);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["first", "second", "third"], run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ")[^1].Trim()));
        var queries = _stub.Requests.Select(r => r.Query).ToList();
        Assert.DoesNotContain("afterId", queries[0]);
        Assert.Contains("afterId=10&", queries[1]);
        Assert.Contains("afterId=10&", queries[2]);
        Assert.Contains("afterId=12&", queries[3]);
    }

    [Fact]
    public async Task LogsFollow_ContinuesAfterTheLargestId_NotTheLastLineInTimeOrder()
    {
        // Oldest first by time: the line with id 12 carries an earlier timestamp than id 11.
        var run = await FollowLogsAsync(poll => poll == 1
            ? new StubResponse(200, Samples.Json(new[] { Log(12, "written last, stamped earlier"), Log(11, "written first") }))
            : new StubResponse(200, "[]"), polls: 2);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("afterId=12&", _stub.Requests[1].Query);
    }

    [Fact]
    public async Task Deploy_MissingManifest_IsAUsageError_AndTouchesNothing()
    {
        using var directory = new TempDirectory();

        var run = await CliRun.RunAsync(["deploy", "--url", Url], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus: cannot read manifest nimbus.yaml:", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Invoke_BinaryResponse_ReachesStdoutByteForByte()
    {
        byte[] binary = [0xff, 0xfe, 0xc3, 0x00, 0x80];
        _stub.On("POST", "/api/v1/functions/orders/invoke", _ => new StubResponse(200, null, InvokeHeaders(), "application/octet-stream", binary));

        var run = await Run("invoke", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(binary, run.OutBytes);
    }

    [Fact]
    public async Task Invoke_ToATerminal_EndsTheResponseWithANewline_ButAPipeGetsTheExactBytes()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{\"total\":42}", InvokeHeaders());

        var terminal = await CliRun.RunAsync(["invoke", "orders", "--url", Url], terminal: true);
        var pipe = await CliRun.RunAsync(["invoke", "orders", "--url", Url], terminal: false);

        Assert.Equal("{\"total\":42}\n", terminal.Out);
        Assert.Equal("{\"total\":42}", pipe.Out);
    }

    [Fact]
    public async Task Timeout_WrittenBeforeTheVerb_AppliesToo()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";

        // Connections wait in the listen backlog, accepted by the kernel and never answered.
        var run = await CliRun.RunAsync(["--timeout", "200ms", "--url", url, "functions", "list"]);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"nimbus: no answer from Nimbus at {url} within 200 ms", run.Error);
    }

    [Fact]
    public async Task Invoke_JsonOutput_CarriesABinaryPayloadAsBase64()
    {
        byte[] binary = [0xff, 0xfe, 0xc3];
        _stub.On("POST", "/api/v1/functions/orders/invoke", _ => new StubResponse(200, null, InvokeHeaders(), "application/octet-stream", binary));

        var run = await Run("invoke", "orders", "-o", "json");

        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("payload").ValueKind);
        Assert.Equal(binary, Convert.FromBase64String(document.RootElement.GetProperty("payloadBase64").GetString()!));
    }

    [Theory]
    [InlineData("functions", "list", "GET /api/v1/functions")]
    [InlineData("invoke", "orders", "POST /api/v1/functions/orders/invoke")]
    public async Task ServerThatAcceptsAndNeverAnswers_FailsAfterTimeout_NamingTheUrl_WithExit3(string verb, string argument, string request)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
        var accepted = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                accepted.Add(await listener.AcceptTcpClientAsync(stop.Token));
            }
        });

        var run = await CliRun.RunAsync([verb, argument, "--url", url, "--timeout", "300ms"]);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        accepted.ForEach(c => c.Dispose());
        Assert.Equal(3, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"nimbus: no answer from Nimbus at {url} within 300 ms ({request}", line);
        Assert.NotEmpty(accepted);
    }

    [Fact]
    public async Task InvokeTimeout_IsTheLongestFunctionTimeoutOfLatestAndItsVersions_PlusTheMargin()
    {
        var version = Samples.Version("orders", 1);
        _stub.On("GET", "/api/v1/functions/orders", 200, Samples.Json(Samples.Function("orders") with { TimeoutSeconds = 10 }))
            .On("GET", "/api/v1/functions/orders/versions", 200, Samples.Json(new[] { version with { Config = version.Config with { TimeoutSeconds = 60 } } }));
        using var api = Nimbus.Cli.Api.ApiClient.Create(_stub.BaseAddress);

        var latest = await Nimbus.Cli.Commands.InvokeCommand.InvokeTimeoutAsync(api, "orders", null, CancellationToken.None);
        var live = await Nimbus.Cli.Commands.InvokeCommand.InvokeTimeoutAsync(api, "orders", "live", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(40), latest);
        Assert.Equal(TimeSpan.FromSeconds(90), live);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("2d")]
    [InlineData("soon")]
    public async Task Timeout_OutOfRange_IsAUsageError(string value)
    {
        var run = await Run("functions", "list", "--timeout", value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"nimbus: invalid value '{value}' for --timeout", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Output_ToAFullDisk_IsOneLineAndExit1_NotAStackTrace()
    {
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { Samples.Function("orders") }));

        var run = await CliRun.RunAsync(["functions", "list", "--url", Url], stdout: new FullDiskStream());

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("nimbus: cannot write output: No space left on device\n", run.Error);
    }

    [Fact]
    public async Task Logs_SinceBeforeYearOne_IsAOneLineUsageError()
    {
        var run = await Run("logs", "orders", "--since", "10000000d");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nimbus: invalid value '10000000d' for --since: 10000000d before now would be before the year 1", line);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Logs_UnknownFunction_ExitsWith4_WithTheProblemDetail()
    {
        _stub.On("GET", "/api/v1/functions/nosuch/logs", 404, Samples.Problem(404, "Function not found", "Function not found: nosuch"));

        var run = await Run("logs", "nosuch");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("nimbus: Function not found: nosuch\n", run.Error);
    }

    [Fact]
    public async Task Deploy_ManifestWithInvalidUtf8_IsRefusedWithLineAndColumn_AndTouchesNothing()
    {
        using var directory = new TempDirectory();
        directory.Write("fn/index.js", "exports.handler = async () => 1;\n");
        var text = "functions:\n  fn:\n    runtime: node\n    handler: ind\u0001ex.handler\n    code: ./fn\n";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)0x01)] = 0xff;
        await File.WriteAllBytesAsync(Path.Combine(directory.Path, "nimbus.yaml"), bytes);

        var run = await CliRun.RunAsync(["deploy", "--url", Url], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus.yaml:4: (encoding): not valid UTF-8: byte 0xFF at column 17", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Deploy_MissingCodeDirectory_NamesTheFileAndLineOfTheCodeKey()
    {
        using var directory = new TempDirectory();
        directory.Write("nimbus.yaml", "functions:\n  fn:\n    runtime: node\n    handler: index.handler\n    memory: 256\n    code: ./missing\n");

        var run = await CliRun.RunAsync(["deploy", "--url", Url], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus.yaml:6: functions.fn.code: missing does not exist", run.Error);
        Assert.EndsWith("nimbus: nimbus.yaml is invalid (1 error); nothing was deployed\n", run.Error);
        Assert.Empty(_stub.Requests);
    }

    private static LogRecord Log(long id, string message) =>
        new(id, Samples.Created, "orders", "3", "req", null, "INFO", "stdout", message, null);
}
