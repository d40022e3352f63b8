using System.Text.Json;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Tests.Events;

/// <summary><c>invoke --async</c> and the <c>dlq</c> verbs against canned API answers.</summary>
public sealed class DlqCommandTests : IAsyncLifetime
{
    private const string Letter = """
        {"id":"d1","functionName":"orders","qualifier":null,"requestId":"r-1","traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
         "condition":"RetriesExhausted","errorType":"OrderRejected","errorMessage":"no stock",
         "enqueuedAt":"2026-12-01T12:00:00+00:00","deadLetteredAt":"2026-12-01T12:03:00+00:00","redrives":0,
         "payload":"{\"orderId\":7}","logs":"/api/v1/functions/orders/logs?requestId=r-1",
         "attempts":[{"number":1,"startedAt":"2026-12-01T12:00:00+00:00","outcome":"FunctionError","requestId":"r-1",
                      "executedVersion":"$LATEST","errorType":"OrderRejected","errorMessage":"no stock","durationMs":12.5}]}
        """;

    private StubApiServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubApiServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync([.. args, "--url", _stub.BaseAddress.ToString()]);

    [Fact]
    public async Task InvokeAsync_PrintsTheRequestIdOfTheQueuedEvent()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 202, """{"requestId":"r-9"}""", new Dictionary<string, string> { [NimbusHeaders.RequestId] = "r-9" });

        var run = await Run("invoke", "orders", "--async", "--payload", """{"orderId":7}""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("r-9\n", run.Out);
        Assert.Equal("""{"orderId":7}""", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task InvokeAsync_QueueFull_IsAOneLineErrorWithNonZeroExit()
    {
        _stub.On("POST", "/api/v1/functions/orders/invoke", 429,
            """{"title":"Queue full","status":429,"detail":"Function 'orders' already has 2 events waiting (its maximumQueueDepth); retry later or raise the bound.","reason":"QueueFull"}""",
            contentType: "application/problem+json");

        var run = await Run("invoke", "orders", "--async");

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("nimbus: ", run.Error);
        Assert.Contains("already has 2 events waiting", run.Error);
    }

    [Fact]
    public async Task DlqList_PrintsOneRowPerDeadLetter()
    {
        _stub.On("GET", "/api/v1/functions/orders/dlq", 200, "[" + Letter + "]");

        var run = await Run("dlq", "list", "orders");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("RetriesExhausted", lines[1]);
        Assert.Contains("r-1", lines[1]);
        Assert.Equal("?limit=100", Assert.Single(_stub.Requests).Query);
    }

    [Fact]
    public async Task DlqShow_OutputJson_GivesThePayloadAsJsonAndEveryAttempt()
    {
        _stub.On("GET", "/api/v1/functions/orders/dlq/d1", 200, Letter);

        var run = await Run("dlq", "show", "orders", "d1", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(7, json.RootElement.GetProperty("payload").GetProperty("orderId").GetInt32());
        Assert.Equal("FunctionError", json.RootElement.GetProperty("attempts")[0].GetProperty("outcome").GetString());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", json.RootElement.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task DlqShow_Text_NamesTheConditionErrorAndAttempts()
    {
        _stub.On("GET", "/api/v1/functions/orders/dlq/d1", 200, Letter);

        var run = await Run("dlq", "show", "orders", "d1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("condition    RetriesExhausted", run.Out);
        Assert.Contains("error        OrderRejected: no stock", run.Out);
        Assert.Contains("FunctionError", run.Out);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--id d1 --all")]
    public async Task DlqRedrive_WithoutExactlyOneOfIdAndAll_IsAUsageError(string options)
    {
        var run = await Run(["dlq", "redrive", "orders", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("nimbus: dlq redrive needs exactly one of --id ID or --all\n", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task DlqRedrive_All_SendsAllAndReportsTheCount()
    {
        _stub.On("POST", "/api/v1/functions/orders/dlq/redrive", 200, """{"count":3}""");

        var run = await Run("dlq", "redrive", "orders", "--all");

        Assert.Equal(0, run.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(_stub.Requests).BodyText);
        Assert.True(body.RootElement.GetProperty("all").GetBoolean());
        Assert.Equal("redrove 3 dead letters of orders\n", run.Error);
    }

    [Fact]
    public async Task DlqPurge_DeletesAndReportsTheCount()
    {
        _stub.On("DELETE", "/api/v1/functions/orders/dlq", 200, """{"count":1}""");

        var run = await Run("dlq", "purge", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("purged 1 dead letter of orders\n", run.Error);
    }
}
