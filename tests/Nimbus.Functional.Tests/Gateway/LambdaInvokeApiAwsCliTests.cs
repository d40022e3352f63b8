using System.Text;
using System.Text.Json;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>
/// The real <c>aws lambda invoke --endpoint-url</c> against Nimbus: the promise that the AWS CLI works unchanged.
/// Fails (does not skip) when no <c>aws</c> is installed.
/// </summary>
public sealed class LambdaInvokeApiAwsCliTests : IAsyncLifetime
{
    private static readonly (string, string) s_credentials = ("AKIDNIMBUSCLI", "cli-secret-for-tests");
    private NimbusTestServer _local = null!;
    private NimbusTestServer _signed = null!;
    private string _outDirectory = null!;

    public async Task InitializeAsync()
    {
        _local = await NimbusTestServer.StartAsync();
        _signed = await NimbusTestServer.StartAsync(o => o with { LambdaCredentials = new Dictionary<string, string> { [s_credentials.Item1] = s_credentials.Item2 } });
        _outDirectory = Directory.CreateTempSubdirectory("nimbus-aws-out-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _local.DisposeAsync();
        await _signed.DisposeAsync();
        Directory.Delete(_outDirectory, recursive: true);
    }

    [Fact]
    public async Task AwsCliInvoke_SignedWithASeededKey_WritesTheResponseAndPrintsStatusCodeAndExecutedVersion()
    {
        var aws = await AwsCli.FindAsync();
        await _local.DeployNodeAsync("cli-hello");
        var outFile = Path.Combine(_outDirectory, "hello.json");

        var run = await aws.LambdaInvokeAsync(_local.Server.BaseAddress, "cli-hello", """{"action":"echo","name":"Ada"}""", outFile, NimbusTestServer.AccessKey);

        Assert.True(run.ExitCode == 0, $"{aws.VersionText}: {run}");
        Assert.Equal(200, run.Json.GetProperty("StatusCode").GetInt32());
        Assert.Equal("$LATEST", run.Json.GetProperty("ExecutedVersion").GetString());
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(outFile));
        Assert.Equal("Ada", written.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AwsCliInvoke_LogTypeTailAndQualifier_PrintsTheLogResultAndVersion()
    {
        var aws = await AwsCli.FindAsync();
        await _local.DeployNodeAsync("cli-tail");
        await _local.PublishAsync("cli-tail");
        await _local.SetAliasAsync("cli-tail", "live", 1);
        var outFile = Path.Combine(_outDirectory, "tail.json");

        var run = await aws.LambdaInvokeAsync(_local.Server.BaseAddress, "cli-tail", """{"action":"log","count":2}""", outFile, NimbusTestServer.AccessKey,
            "--log-type", "Tail", "--qualifier", "live");

        Assert.True(run.ExitCode == 0, $"{aws.VersionText}: {run}");
        Assert.Equal("1", run.Json.GetProperty("ExecutedVersion").GetString());
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(run.Json.GetProperty("LogResult").GetString()!));
        Assert.Contains("line 2 of ", log);
        Assert.Contains("REPORT RequestId: ", log);
        Assert.Equal("""{"logged":2}""", (await File.ReadAllTextAsync(outFile)).Trim());
    }

    [Fact]
    public async Task AwsCliInvoke_FunctionError_PrintsUnhandled()
    {
        var aws = await AwsCli.FindAsync();
        await _local.DeployNodeAsync("cli-throw");
        var outFile = Path.Combine(_outDirectory, "throw.json");

        var run = await aws.LambdaInvokeAsync(_local.Server.BaseAddress, "cli-throw", """{"action":"throw","message":"no stock"}""", outFile, NimbusTestServer.AccessKey);

        Assert.True(run.ExitCode == 0, $"{aws.VersionText}: a function error is not a CLI error: {run}");
        Assert.Equal("Unhandled", run.Json.GetProperty("FunctionError").GetString());
        Assert.Contains("no stock", await File.ReadAllTextAsync(outFile));
    }

    [Fact]
    public async Task AwsCliInvoke_UnknownFunction_PrintsResourceNotFoundWithTheMessage()
    {
        var aws = await AwsCli.FindAsync();

        var run = await aws.LambdaInvokeAsync(_local.Server.BaseAddress, "nope", "{}", Path.Combine(_outDirectory, "nope.json"), NimbusTestServer.AccessKey);

        Assert.True(run.ExitCode != 0, $"{aws.VersionText}: invoking a missing function must fail: {run}");
        Assert.Contains("(ResourceNotFoundException)", run.Error);
        Assert.Contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope", run.Error);
    }

    [Fact]
    public async Task AwsCliInvoke_SignedServer_AcceptsTheRightSecretAndRefusesAWrongOne()
    {
        var aws = await AwsCli.FindAsync();
        await _signed.DeployNodeAsync("cli-signed");

        var good = await aws.LambdaInvokeAsync(_signed.Server.BaseAddress, "cli-signed", """{"action":"echo","ok":true}""",
            Path.Combine(_outDirectory, "signed.json"), s_credentials);
        // An ARN puts encoded colons in the path, which SigV4 signs encoded twice: only a real signer proves we agree.
        var arn = await aws.LambdaInvokeAsync(_signed.Server.BaseAddress, "arn:aws:lambda:us-east-1:000000000000:function:cli-signed:$LATEST",
            """{"action":"echo"}""", Path.Combine(_outDirectory, "arn.json"), s_credentials, "--log-type", "Tail");
        var wrong = await aws.LambdaInvokeAsync(_signed.Server.BaseAddress, "cli-signed", """{"action":"echo"}""",
            Path.Combine(_outDirectory, "wrong.json"), (s_credentials.Item1, "wrong-secret"));

        Assert.True(good.ExitCode == 0, $"{aws.VersionText}: the CLI signs with the configured credentials: {good}");
        Assert.Equal(200, good.Json.GetProperty("StatusCode").GetInt32());
        Assert.True(arn.ExitCode == 0, $"{aws.VersionText}: a signed call naming the function by ARN: {arn}");
        Assert.True(wrong.ExitCode != 0, $"{aws.VersionText}: a wrong secret must be refused: {wrong}");
        Assert.Contains("(InvalidSignatureException)", wrong.Error);
    }
}
