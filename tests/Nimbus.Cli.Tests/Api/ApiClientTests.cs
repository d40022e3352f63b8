using System.Net;
using System.Text;
using Nimbus.Cli.Api;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Logs;

namespace Nimbus.Cli.Tests.Api;

public sealed class ApiClientTests : IAsyncLifetime
{
    private StubApiServer _stub = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubApiServer.StartAsync();
        _api = ApiClient.Create(_stub.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task ListFunctions_ReadsTheSharedRecords()
    {
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { Samples.Function("orders"), Samples.Function("billing") }));

        var functions = await _api.ListFunctionsAsync(CancellationToken.None);

        Assert.Equal(["orders", "billing"], functions.Select(f => f.Name));
        Assert.Equal("hello", functions[0].Environment["GREETING"]);
        Assert.Equal("live", functions[0].Routes[0].Qualifier);
    }

    [Fact]
    public async Task PutFunction_SendsCamelCaseConfig()
    {
        _stub.On("PUT", "/api/v1/functions/orders", 201, Samples.Json(Samples.Function("orders")));

        await _api.PutFunctionAsync("orders", new FunctionConfigRequest { Runtime = "node", MemoryMb = 256 }, CancellationToken.None);

        var request = Assert.Single(_stub.Requests);
        Assert.Contains("\"memoryMb\":256", request.BodyText);
        Assert.Contains("\"runtime\":\"node\"", request.BodyText);
        Assert.StartsWith("application/json", request.ContentType);
    }

    [Fact]
    public async Task UploadCode_SendsTheZipBytesAsApplicationZip()
    {
        _stub.On("PUT", "/api/v1/functions/orders/code", 200, Samples.Json(new CodeUploadResult("orders", "ff00", 3, false, 4)));
        byte[] zip = [0x50, 0x4b, 0x03];

        var result = await _api.UploadCodeAsync("orders", zip, CancellationToken.None);

        Assert.False(result.Created);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal(zip, request.Body);
        Assert.Equal("application/zip", request.ContentType);
    }

    [Fact]
    public async Task Invoke_PassesQualifierAsQueryParameter_AndReadsHeaders()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{\"ok\":true}", new Dictionary<string, string>
        {
            [NimbusHeaders.RequestId] = "req-1",
            [NimbusHeaders.ExecutedVersion] = "3",
            [NimbusHeaders.ColdStart] = "true",
            [NimbusHeaders.InitDuration] = "120.5",
            [NimbusHeaders.Duration] = "12.25",
        });

        var result = await _api.InvokeAsync("orders", "$LATEST", Encoding.UTF8.GetBytes("{\"a\":1}"), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(result.Payload));
        Assert.Equal(("req-1", "3", true, 120.5, 12.25, (string?)null),
            (result.RequestId, result.ExecutedVersion, result.ColdStart, result.InitDurationMs, result.DurationMs, result.FunctionError));
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("?qualifier=%24LATEST", request.Query);
        Assert.Equal("{\"a\":1}", request.BodyText);
    }

    [Fact]
    public async Task Invoke_FunctionError_IsAValueNotAnException()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 200, "{\"errorMessage\":\"boom\",\"errorType\":\"Error\"}",
            new Dictionary<string, string> { [NimbusHeaders.FunctionError] = "Unhandled" });

        var result = await _api.InvokeAsync("orders", null, [], TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.False(result.ColdStart);
        Assert.Equal("", Assert.Single(_stub.Requests).Query);
    }

    [Fact]
    public async Task GetLogs_SendsEveryFilterInTheQueryString()
    {
        _stub.On("GET", "/api/v1/functions/orders/logs", 200, Samples.Json(new[]
        {
            new LogRecord(5, Samples.Created, "orders", "3", "r1", null, "INFO", "stdout", "hi", null),
        }));
        var query = new LogQuery("orders", "r1", new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), null, "ERROR", "time out", 4, 50);

        var records = await _api.GetLogsAsync(query, CancellationToken.None);

        Assert.Equal(5, Assert.Single(records).Id);
        var sent = Assert.Single(_stub.Requests).Query;
        Assert.Equal("?requestId=r1&since=2026-11-22T03%3A00%3A00.0000000Z&level=ERROR&q=time%20out&afterId=4&limit=50", sent);
    }

    [Fact]
    public async Task PutAlias_SendsVersionAndWeights()
    {
        _stub.On("PUT", "/api/v1/functions/orders/aliases/live", 200, Samples.Json(Samples.Alias("orders", "live", 3)));

        await _api.PutAliasAsync("orders", "live", new AliasRequest("3", new() { ["4"] = 0.1 }), CancellationToken.None);

        var body = Assert.Single(_stub.Requests).BodyText;
        Assert.Contains("\"version\":\"3\"", body);
        Assert.Contains("\"additionalVersionWeights\":{\"4\":0.1}", body);
    }

    [Fact]
    public async Task ProvisionedConcurrency_EscapesTheLatestQualifier()
    {
        _stub.On("PUT", "/api/v1/functions/orders/provisioned-concurrency/$LATEST", 200, "{}");

        await _api.PutProvisionedConcurrencyAsync("orders", "$LATEST", 2, CancellationToken.None);

        Assert.Equal("{\"count\":2}", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task NotFound_BecomesExitCode4_WithTheProblemTitleAndDetail()
    {
        _stub.On("GET", "/api/v1/functions/ghost", 404, Samples.Problem(404, "Function not found", "No function named 'ghost'."),
            contentType: "application/problem+json");

        var error = await Assert.ThrowsAsync<ApiException>(() => _api.GetFunctionAsync("ghost", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal(ExitCodes.NotFound, error.ExitCode);
        Assert.Equal("Function not found: No function named 'ghost'.", error.Message);
    }

    [Fact]
    public async Task ValidationProblem_ListsEveryFieldError_AndIsAUsageError()
    {
        _stub.On("PUT", "/api/v1/functions/orders", 400,
            """{"title":"One or more validation errors occurred.","status":400,"errors":{"memoryMb":["must be from 64 to 10240"],"routes[0].path":["must start with '/'"]}}""",
            contentType: "application/problem+json");

        var error = await Assert.ThrowsAsync<ApiException>(() => _api.PutFunctionAsync("orders", new FunctionConfigRequest(), CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("One or more validation errors occurred.: memoryMb: must be from 64 to 10240; routes[0].path: must start with '/'", error.Message);
    }

    [Fact]
    public async Task ServerErrorWithoutProblem_StillGivesOneLine()
    {
        _stub.On("POST", "/api/v1/functions/orders/versions", 409, null);

        var error = await Assert.ThrowsAsync<ApiException>(() => _api.PublishVersionAsync("orders", new PublishVersionRequest(), CancellationToken.None));

        Assert.Equal(ExitCodes.Failed, error.ExitCode);
        Assert.Equal("HTTP 409 Conflict", error.Message);
    }

    [Fact]
    public async Task UnreachableServer_IsExitCode3_AndSaysWhatToDo()
    {
        var address = _stub.BaseAddress;
        await _stub.DisposeAsync();
        using var api = ApiClient.Create(address);

        var error = await Assert.ThrowsAsync<CliException>(() => api.ListFunctionsAsync(CancellationToken.None));

        Assert.Equal(ExitCodes.Unreachable, error.ExitCode);
        Assert.Equal($"cannot reach Nimbus at {address.AbsoluteUri.TrimEnd('/')}: is `nimbus up` running?", error.Message);
    }

    [Fact]
    public async Task BaseAddressWithPathPrefix_KeepsThePrefix()
    {
        _stub.On("GET", "/nimbus/api/v1/instances", 200, "[]");
        using var api = ApiClient.Create(new Uri(_stub.BaseAddress, "/nimbus"));

        Assert.Empty(await api.ListInstancesAsync(CancellationToken.None));
        Assert.Equal("/nimbus/api/v1/instances", Assert.Single(_stub.Requests).Path);
    }
}
