using System.Diagnostics;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>Defects found by using the CLI as a hostile user would, through the real CLI against a real server.</summary>
public sealed class CliHardeningTests : IClassFixture<SharedServer>, IDisposable
{
    private readonly NimbusTestServer _nimbus;
    private readonly string _directory = Directory.CreateTempSubdirectory("nimbus-cli-e2e-").FullName;

    public CliHardeningTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private string Url => _nimbus.Server.BaseAddress.ToString();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Invoke_FunctionAnsweringNonUtf8Bytes_PassesThemToStdoutUnchanged()
    {
        var code = Directory.CreateDirectory(Path.Combine(_directory, "binary")).FullName;
        var bootstrap = Path.Combine(code, "bootstrap");
        await File.WriteAllTextAsync(bootstrap, """
            #!/bin/bash
            set -euo pipefail
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            while true; do
              HEADERS="$(mktemp)"
              curl -sS -o /dev/null -D "$HEADERS" "$API/invocation/next"
              ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')
              rm -f "$HEADERS"
              printf '\xff\xfe\xc3\x00\x80' | curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" --data-binary @-
            done

            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bootstrap, (UnixFileMode)0b111_101_101);
        }
        await _nimbus.DeployAsync("cli-binary", code, new FunctionConfigRequest { Runtime = "provided", TimeoutSeconds = 10 });

        var (exit, stdout, error) = await CliInProcess.RunBytesAsync(["invoke", "cli-binary", "--url", Url]);

        Assert.True(exit == 0, error);
        Assert.Equal(new byte[] { 0xff, 0xfe, 0xc3, 0x00, 0x80 }, stdout);
    }

    [Fact]
    public async Task FunctionsList_ToDevFull_PrintsOneLineAndExitsNonZero()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "nimbus.dll");
        using var process = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", "exec dotnet \"$0\" functions list --url \"$1\" > /dev/full", cli, Url },
            RedirectStandardError = true,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("nimbus: cannot write output: No space left on device\n", error);
    }

    [Fact]
    public async Task Logs_OfAnUnknownFunction_ExitsWithNotFound()
    {
        var (exit, _, error) = await CliInProcess.RunAsync(["logs", "cli-no-such-function", "--url", Url]);

        Assert.Equal(4, exit);
        Assert.Contains("cli-no-such-function", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Logs_SinceTenMillionDays_IsAUsageErrorInOneLine()
    {
        var (exit, _, error) = await CliInProcess.RunAsync(["logs", "cli-anything", "--since", "10000000d", "--url", Url]);

        Assert.Equal(2, exit);
        Assert.StartsWith("nimbus: invalid value '10000000d' for --since", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Plan_MatchesWhatDeployDoes_NoChangesAfterADeploy_ThenAChangedSettingOldToNew()
    {
        var manifest = Path.Combine(_directory, "nimbus.yaml");
        var code = RepoPaths.Fixture("behaviours-node");
        string Yaml(int memory) => $"""
            functions:
              cli-plan:
                runtime: node
                handler: index.handler
                code: {code}
                memory: {memory}
                alias: live
                routes:
                  - GET /cli-plan
            """;
        await File.WriteAllTextAsync(manifest, Yaml(128));

        var before = await CliInProcess.RunAsync(["plan", "-f", manifest, "--detailed-exitcode", "--url", Url]);
        var deploy = await CliInProcess.RunAsync(["deploy", "-f", manifest, "--url", Url]);
        var after = await CliInProcess.RunAsync(["plan", "-f", manifest, "--function", "cli-plan", "--detailed-exitcode", "--url", Url]);
        await File.WriteAllTextAsync(manifest, Yaml(256));
        var changed = await CliInProcess.RunAsync(["plan", "-f", manifest, "--function", "cli-plan", "--detailed-exitcode", "--url", Url]);

        Assert.True(before.Exit == 2, before.Error);
        Assert.Contains("+ cli-plan (create)", before.Out);
        Assert.True(deploy.Exit == 0, deploy.Error);
        Assert.Contains("+ cli-plan (create)", deploy.Error);
        Assert.True(after.Exit == 0, $"a second plan should find nothing to change:\n{after.Out}{after.Error}");
        Assert.Contains("= cli-plan (no changes)", after.Out);
        Assert.Equal(2, changed.Exit);
        Assert.Contains("memory      128 MB -> 256 MB", changed.Out);
        Assert.Contains("alias live  1 -> 2 (new version)", changed.Out);
    }
}
