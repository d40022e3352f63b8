using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// The real <c>aws</c> executable (v1 here, Debian's v2 in CI), run as a child process with its own throwaway
/// configuration so nothing from the machine's <c>~/.aws</c> leaks in.
/// </summary>
public sealed partial class AwsCli
{
    private AwsCli(string path, int majorVersion, string versionText)
    {
        Path = path;
        MajorVersion = majorVersion;
        VersionText = versionText;
    }

    public string Path { get; }
    public int MajorVersion { get; }
    public string VersionText { get; }

    /// <summary>Finds <c>aws</c> (/usr/bin/aws, else on PATH); fails the test, never skips, when there is none.</summary>
    public static async Task<AwsCli> FindAsync()
    {
        var candidates = new List<string> { "/usr/bin/aws" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "aws")));
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail("The AWS CLI is required by this test and was not found (looked at /usr/bin/aws and every PATH entry). " +
                "Install it: `apt-get install awscli` (Debian, v2) or `pip install awscli` (v1).");
        }

        var version = await RunAsync(path!, ["--version"], new Dictionary<string, string>(), TimeSpan.FromSeconds(60));
        var text = (version.Out + version.Error).Trim();
        var match = VersionPattern().Match(text);
        Assert.True(match.Success, $"`{path} --version` printed no aws-cli/N.x version: {text}");
        return new AwsCli(path!, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), text);
    }

    /// <summary>
    /// <c>aws lambda invoke</c> with a raw JSON payload: v2 reads <c>--payload</c> as base64 unless told
    /// <c>--cli-binary-format raw-in-base64-out</c>, an option v1 does not know (v1 always sends it raw).
    /// </summary>
    public Task<CliResult> LambdaInvokeAsync(Uri endpoint, string functionName, string payload, string outFile,
        (string AccessKey, string Secret) credentials, params string[] extra)
    {
        List<string> args = ["lambda", "invoke", "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--function-name", functionName, "--payload", payload];
        if (MajorVersion >= 2)
        {
            args.AddRange(["--cli-binary-format", "raw-in-base64-out"]);
        }

        args.AddRange(extra);
        args.Add(outFile);
        return RunWithCredentialsAsync(args, credentials);
    }

    private async Task<CliResult> RunWithCredentialsAsync(IReadOnlyList<string> args, (string AccessKey, string Secret) credentials)
    {
        var home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nimbus-aws-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(home);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = credentials.Secret,
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                ["AWS_CONFIG_FILE"] = System.IO.Path.Combine(home, "config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = System.IO.Path.Combine(home, "credentials"),
                ["AWS_PAGER"] = "",
                ["AWS_MAX_ATTEMPTS"] = "1",
                ["AWS_RETRY_MODE"] = "standard",
            };
            return await RunAsync(Path, args, environment, TimeSpan.FromSeconds(120));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<CliResult> RunAsync(string path, IReadOnlyList<string> args, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`aws {string.Join(' ', args)}` did not finish within {timeout.TotalSeconds:0} s");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"aws-cli/(\d+)\.")]
    private static partial Regex VersionPattern();
}
