using System.Text;
using Nimbus.Cli;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>Secrets and policies through the real CLI against a real server and real workers: set from stdin, deploy a manifest with a policy, logs masked, suggest, plan.</summary>
public sealed class CliSecretsTests
{
    private const string Password = "hunter2-but-longer-9c1e";

    [Fact]
    public async Task SecretsAndPolicy_FromTheCli_EndToEnd()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        var url = nimbus.Server.BaseAddress.ToString();
        Task<(int Exit, string Out, string Error)> Run(string? stdin, params string[] args) => RunAsync(stdin, [.. args, "--url", url]);

        var set = await Run(Password + "\n", "secrets", "set", "db-password");
        Assert.True(set.Exit == 0, set.Error);
        Assert.Contains("set secret db-password (version 1)", set.Error, StringComparison.Ordinal);
        var asArgument = await Run(null, "secrets", "set", "db-password", Password);
        Assert.Equal(2, asArgument.Exit);
        Assert.Equal(0, (await Run("not-for-printer\n", "secrets", "set", "other")).Exit);
        var list = await Run(null, "secrets", "list", "--output", "json");
        Assert.Contains("\"db-password\"", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, list.Out, StringComparison.Ordinal);

        var directory = Path.Combine(Path.GetTempPath(), "nimbus-secrets-cli-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(directory);
        var manifest = Path.Combine(directory, "nimbus.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            functions:
              printer:
                runtime: node
                handler: index.handler
                code: {{RepoPaths.Fixture("secrets-node")}}
                environment: {DB_PASSWORD: "secret:db-password"}
                policy:
                  - {allow: secret:read, resource: db-password}
                  - {allow: function:invoke, resource: "orders*"}
            """);
        var deploy = await Run(null, "deploy", "-f", manifest);
        Assert.True(deploy.Exit == 0, deploy.Error);

        Assert.Equal(0, (await Run(null, "invoke", "printer", "--payload", """{"print":"DB_PASSWORD"}""")).Exit);
        Assert.Equal(0, (await Run(null, "invoke", "printer", "--payload", """{"fetch":"other"}""")).Exit);
        var logs = "";
        Assert.True(await NimbusTestServer.EventuallyAsync(async () =>
        {
            logs = (await Run(null, "logs", "printer")).Out;
            return logs.Contains("value of DB_PASSWORD", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10)), "the printed line never reached `nimbus logs`");
        Assert.Contains("value of DB_PASSWORD: ***", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, logs, StringComparison.Ordinal);

        var suggest = await Run(null, "policy", "suggest", "printer");
        Assert.True(suggest.Exit == 0, suggest.Error);
        Assert.Contains("  - {allow: secret:read, resource: db-password}\n  - {allow: secret:read, resource: other}", suggest.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("unused grant: function:invoke on orders*", suggest.Out, StringComparison.Ordinal);
        Assert.Contains("denied: secret:read on other (once", suggest.Out, StringComparison.Ordinal);
        var plan = await Run(null, "plan", "-f", manifest);
        Assert.Contains("Policy (declared vs observed access", plan.Out, StringComparison.Ordinal);
        Assert.Contains("denied: secret:read on other", plan.Out, StringComparison.Ordinal);

        var file = Path.Combine(directory, "value.txt");
        await File.WriteAllTextAsync(file, "rotated-value-123\n");
        var rotate = await Run(null, "secrets", "rotate", "db-password", "--file", file);
        Assert.Contains("to version 2", rotate.Error, StringComparison.Ordinal);
        var master = await Run(null, "secrets", "rotate-master-key");
        Assert.Contains("re-wrapped 2 data keys", master.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(null, "secrets", "delete", "db-password")).Exit);
        var gone = await Run(null, "secrets", "rotate", "db-password", "--file", file);
        Assert.Equal(4, gone.Exit);
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(string? stdin, IReadOnlyList<string> args)
    {
        var stdout = new MemoryStream();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true },
            OutStream = stdout,
            Error = error,
            WorkingDirectory = RepoPaths.Root,
            OpenInput = () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? "")),
        };
        var exit = await CliApp.RunAsync(args, context, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), error.ToString());
    }
}
