using System.Net;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>Lambda's Invoke API on a real server with real node workers, as an AWS SDK sees it (local mode: no signing).</summary>
public sealed class LambdaInvokeApiTests : IClassFixture<SharedServer>
{
    private const string Arn = "arn:aws:lambda:us-east-1:000000000000:function:";
    private readonly NimbusTestServer _nimbus;
    private readonly LambdaApiClient _lambda;

    public LambdaInvokeApiTests(SharedServer shared)
    {
        _nimbus = shared.Nimbus;
        _lambda = new LambdaApiClient(_nimbus.Client);
    }

    [Fact]
    public async Task Invoke_RequestResponse_Returns200WithBodyExecutedVersionAndRequestId()
    {
        await _nimbus.DeployNodeAsync("lambda-sync");

        var response = await _lambda.InvokeAsync("lambda-sync", """{"action":"echo","name":"Ada"}""");

        Assert.True(HttpStatusCode.OK == response.Status, $"sync invoke: {response}");
        Assert.Equal("Ada", response.Json.GetProperty("name").GetString());
        Assert.Equal("$LATEST", response.Header(LambdaHeaders.ExecutedVersion));
        Assert.Null(response.Header(LambdaHeaders.FunctionError));
        Assert.Null(response.Header(LambdaHeaders.LogResult));
        var requestId = response.Header(LambdaHeaders.RequestId);
        Assert.True(Guid.TryParse(requestId, out _), $"x-amzn-RequestId should be a request id: {response}");
        Assert.Equal(requestId, response.Header(LambdaHeaders.AmzRequestId));
    }

    [Fact]
    public async Task Invoke_DryRun_Answers204AndRunsNothing()
    {
        await _nimbus.DeployNodeAsync("lambda-dryrun");

        var dryRun = await _lambda.InvokeAsync("lambda-dryrun", """{"action":"echo"}""", headers: Type("DryRun"));
        var missing = await _lambda.InvokeAsync("lambda-dryrun-nope", "{}", headers: Type("DryRun"));
        var missingVersion = await _lambda.InvokeAsync("lambda-dryrun", "{}", qualifier: "7", headers: Type("DryRun"));

        Assert.True(HttpStatusCode.NoContent == dryRun.Status, $"DryRun of an existing function: {dryRun}");
        Assert.Equal("", dryRun.Body);
        Assert.Empty(await _nimbus.InstancesAsync("lambda-dryrun"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.NotFound, missingVersion.Status);
    }

    [Fact]
    public async Task Invoke_Qualifiers_ReachTheVersionOrAliasByQueryNameSuffixAndArn()
    {
        await _nimbus.DeployNodeAsync("lambda-qual", environment: new() { ["STAGE"] = "one" });
        var version = await _nimbus.PublishAsync("lambda-qual");
        await _nimbus.SetAliasAsync("lambda-qual", "live", version.Version);
        await _nimbus.DeployNodeAsync("lambda-qual", environment: new() { ["STAGE"] = "two" });
        const string env = """{"action":"env"}""";

        var cases = new (string What, Func<Task<LambdaResponse>> Call, string Stage, string Executed)[]
        {
            ("unqualified", () => _lambda.InvokeAsync("lambda-qual", env), "two", "$LATEST"),
            ("?Qualifier=1", () => _lambda.InvokeAsync("lambda-qual", env, qualifier: "1"), "one", "1"),
            ("?Qualifier=live", () => _lambda.InvokeAsync("lambda-qual", env, qualifier: "live"), "one", "1"),
            ("name:live", () => _lambda.InvokeAsync("lambda-qual:live", env), "one", "1"),
            ("name:$LATEST", () => _lambda.InvokeAsync("lambda-qual:$LATEST", env), "two", "$LATEST"),
            ("full ARN", () => _lambda.InvokeAsync(Arn + "lambda-qual", env), "two", "$LATEST"),
            ("full ARN:1", () => _lambda.InvokeAsync(Arn + "lambda-qual:1", env), "one", "1"),
            ("partial ARN:live", () => _lambda.InvokeAsync("000000000000:function:lambda-qual:live", env), "one", "1"),
            ("name:live and ?Qualifier=live", () => _lambda.InvokeAsync("lambda-qual:live", env, qualifier: "live"), "one", "1"),
        };

        foreach (var (what, call, stage, executed) in cases)
        {
            var response = await call();
            Assert.True(HttpStatusCode.OK == response.Status, $"{what}: {response}");
            Assert.True(stage == response.Json.GetProperty("STAGE").GetString(), $"{what}: expected the code of STAGE={stage}, got {response.Json.GetProperty("STAGE")}");
            Assert.True(executed == response.Header(LambdaHeaders.ExecutedVersion), $"{what}: expected executed version {executed}: {response}");
        }
    }

    [Fact]
    public async Task Invoke_ConflictingOrUnknownQualifier_IsRefusedInLambdasShape()
    {
        await _nimbus.DeployNodeAsync("lambda-qual-bad");

        var conflicting = await _lambda.InvokeAsync("lambda-qual-bad:live", "{}", qualifier: "2");
        var unknown = await _lambda.InvokeAsync("lambda-qual-bad", "{}", qualifier: "staging");

        Assert.Equal(HttpStatusCode.BadRequest, conflicting.Status);
        Assert.Equal("InvalidParameterValueException", conflicting.ErrorType);
        Assert.Contains("does not match the specified qualifier", conflicting.Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal($"Function not found: {Arn}lambda-qual-bad:staging", unknown.Json.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Invoke_FunctionError_Returns200WithUnhandledAndTheErrorJson()
    {
        await _nimbus.DeployNodeAsync("lambda-throw");

        var response = await _lambda.InvokeAsync("lambda-throw", """{"action":"throw","message":"card declined"}""");

        Assert.True(HttpStatusCode.OK == response.Status, $"a function error is not an API error: {response}");
        Assert.Equal("Unhandled", response.Header(LambdaHeaders.FunctionError));
        Assert.Equal("card declined", response.Json.GetProperty("errorMessage").GetString());
        Assert.Equal("Error", response.Json.GetProperty("errorType").GetString());
        Assert.Null(response.ErrorType);
    }

    [Fact]
    public async Task Invoke_LogTypeTail_ReturnsTheInvocationsOwnLinesAndReportInBase64()
    {
        await _nimbus.DeployNodeAsync("lambda-tail");

        var response = await _lambda.InvokeAsync("lambda-tail", """{"action":"log","count":3}""", headers: new Dictionary<string, string> { [LambdaHeaders.LogType] = "Tail" });

        Assert.True(HttpStatusCode.OK == response.Status, $"invoke with Tail: {response}");
        var requestId = response.Header(LambdaHeaders.RequestId);
        var encoded = response.Header(LambdaHeaders.LogResult);
        Assert.True(encoded is not null, $"X-Amz-Log-Result missing: {response}");
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        Assert.Contains($"START RequestId: {requestId}", log);
        Assert.Contains($"line 3 of {requestId}", log);
        Assert.Contains($"REPORT RequestId: {requestId}", log);
        Assert.True(Encoding.UTF8.GetByteCount(log) <= 4096, $"the tail is the last 4 KB at most, got {Encoding.UTF8.GetByteCount(log)} bytes");
    }

    [Fact]
    public async Task Invoke_LogTailOfAChattyFunction_IsTheLast4KbEndingWithReport()
    {
        await _nimbus.DeployNodeAsync("lambda-tail-long");

        var response = await _lambda.InvokeAsync("lambda-tail-long", """{"action":"log","count":500}""", headers: new Dictionary<string, string> { [LambdaHeaders.LogType] = "Tail" });

        var log = Encoding.UTF8.GetString(Convert.FromBase64String(response.Header(LambdaHeaders.LogResult)!));
        var requestId = response.Header(LambdaHeaders.RequestId);
        Assert.InRange(Encoding.UTF8.GetByteCount(log), 3500, 4096);
        Assert.DoesNotContain($"line 1 of {requestId}", log);
        Assert.Contains($"line 500 of {requestId}", log);
        Assert.Contains($"REPORT RequestId: {requestId}", log);
    }

    [Fact]
    public async Task Invoke_UnknownFunction_Is404ResourceNotFoundWithTheArn()
    {
        var response = await _lambda.InvokeAsync("nope", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("ResourceNotFoundException", response.ErrorType);
        Assert.StartsWith("application/json", response.Header("Content-Type"));
        Assert.Equal("User", response.Json.GetProperty("Type").GetString());
        Assert.Equal("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope", response.Json.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Invoke_PayloadOver6Mb_Is413RequestTooLarge()
    {
        await _nimbus.DeployNodeAsync("lambda-large");
        var payload = "\"" + new string('x', 6 * 1024 * 1024) + "\"";

        var response = await _lambda.InvokeAsync("lambda-large", payload);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("RequestTooLargeException", response.ErrorType);
        Assert.Contains("6291456 bytes", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_PayloadNotJson_Is400InvalidRequestContentSayingWhatAndWhereInPlainWords()
    {
        await _nimbus.DeployNodeAsync("lambda-notjson");

        var response = await _lambda.InvokeAsync("lambda-notjson", "name=Ada");
        var truncated = await _lambda.InvokeAsync("lambda-notjson", "{\n  \"name\": \"Ada\",\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidRequestContentException", response.ErrorType);
        // Lambda's words, not System.Text.Json's ("'a' is an invalid JSON literal. ... LineNumber: 0 | BytePositionInLine: 1.").
        Assert.Equal("Could not parse request body into json: Unrecognized token 'name' at line 1, column 1", response.Json.GetProperty("message").GetString());
        Assert.Equal("Could not parse request body into json: Unexpected end of input at line 3, column 1", truncated.Json.GetProperty("message").GetString());
        Assert.Empty(await _nimbus.InstancesAsync("lambda-notjson"));
    }

    [Fact]
    public async Task Invoke_ReservedConcurrencyZero_Is429WithReservedReason()
    {
        await _nimbus.DeployNodeAsync("lambda-off", reserved: 0);

        var response = await _lambda.InvokeAsync("lambda-off", """{"action":"echo"}""");

        Assert.Equal((HttpStatusCode)429, response.Status);
        Assert.Equal("TooManyRequestsException", response.ErrorType);
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", response.Json.GetProperty("Reason").GetString());
        Assert.Equal("User", response.Json.GetProperty("Type").GetString());
        Assert.Contains("reserved concurrency is 0", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_ClientContextAndEmptyPayload_ReachTheFunctionAsLambdaDeliversThem()
    {
        var code = Path.Combine(_nimbus.DataDirectory, "client-context-fn");
        Directory.CreateDirectory(code);
        await File.WriteAllTextAsync(Path.Combine(code, "index.js"),
            "exports.handler = async (event, context) => ({ event, clientContext: context.clientContext === undefined ? null : context.clientContext });\n");
        await _nimbus.DeployAsync("lambda-ctx", code, new FunctionConfigRequest { Runtime = "node", Handler = "index.handler" });
        var context = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"custom":{"tenant":"acme"},"env":{"locale":"en"}}"""));

        var withContext = await _lambda.InvokeAsync("lambda-ctx", null, headers: new Dictionary<string, string> { [LambdaHeaders.ClientContext] = context });
        var badContext = await _lambda.InvokeAsync("lambda-ctx", "{}", headers: new Dictionary<string, string> { [LambdaHeaders.ClientContext] = "not base64!" });

        Assert.True(HttpStatusCode.OK == withContext.Status, $"invoke with client context: {withContext}");
        Assert.Equal(JsonValueKind.Object, withContext.Json.GetProperty("event").ValueKind);
        Assert.Equal("{}", withContext.Json.GetProperty("event").GetRawText());
        Assert.Equal("acme", withContext.Json.GetProperty("clientContext").GetProperty("custom").GetProperty("tenant").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badContext.Status);
        Assert.Equal("InvalidParameterValueException", badContext.ErrorType);
    }

    private static Dictionary<string, string> Type(string invocationType) => new() { [LambdaHeaders.InvocationType] = invocationType };
}
