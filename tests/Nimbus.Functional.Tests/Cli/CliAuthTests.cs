using System.Text;
using System.Text.Json;
using Nimbus.Cli;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>login, tokens, keys and audit through the real CLI against a real server, with a config dir of the test's own.</summary>
public sealed class CliAuthTests : IClassFixture<SharedServer>, IDisposable
{
    private readonly NimbusTestServer _nimbus;
    private readonly string _home = Directory.CreateTempSubdirectory("nimbus-cli-home-").FullName;

    public CliAuthTests(SharedServer shared) => _nimbus = shared.Nimbus;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string Url => _nimbus.Server.BaseAddress.ToString();

    /// <summary>Runs the CLI with an environment of only <paramref name="environment"/> (plus a private config and state dir).</summary>
    private async Task<(int Exit, string Out, string Error)> RunAsync(string[] args, Dictionary<string, string>? environment = null, string? stdin = null)
    {
        var env = new Dictionary<string, string>(environment ?? [])
        {
            ["XDG_CONFIG_HOME"] = Path.Combine(_home, "config"),
            ["XDG_STATE_HOME"] = Path.Combine(_home, "state"),
            ["HOME"] = _home,
        };
        foreach (var (key, value) in environment ?? [])
        {
            env[key] = value;
        }

        var stdout = new MemoryStream();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true },
            OutStream = stdout,
            Error = error,
            WorkingDirectory = _home,
            GetEnvironmentVariable = name => env.GetValueOrDefault(name),
            OpenInput = () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? "")),
        };
        var exit = await CliApp.RunAsync([.. args, "--url", Url], context, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), error.ToString());
    }

    private Dictionary<string, string> Admin => new() { ["NIMBUS_TOKEN"] = _nimbus.Server.AdminToken };

    [Fact]
    public async Task NoCredentialsAnywhere_FailsWithAHintToLogIn()
    {
        var run = await RunAsync(["functions", "list"]);

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("Authentication required", run.Error);
        Assert.Contains("nimbus login", run.Error);
    }

    [Fact]
    public async Task TheLocalServersAdminToken_IsFoundThroughItsPort_WithoutConfiguration()
    {
        // The real state dir, where this in-process server registered its port.
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var real = new Dictionary<string, string>
        {
            ["XDG_STATE_HOME"] = string.IsNullOrEmpty(state) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state") : state,
        };

        var run = await RunAsync(["functions", "list"], real);

        Assert.True(run.Exit == 0, run.Error);
    }

    [Fact]
    public async Task TokensCreateListRevoke_ShowsTheSecretOnceAndRevokes()
    {
        var create = await RunAsync(["tokens", "create", "--role", "viewer", "--functions", "cli-*", "--output", "json"], Admin);
        Assert.True(create.Exit == 0, create.Error);
        var created = JsonDocument.Parse(create.Out).RootElement;
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("identity").GetProperty("id").GetString()!;
        Assert.Equal("cli-*", created.GetProperty("identity").GetProperty("functions").GetString());

        var list = await RunAsync(["tokens", "list", "--output", "json"], Admin);
        Assert.True(list.Exit == 0, list.Error);
        Assert.Contains(id, list.Out);
        Assert.DoesNotContain(token, list.Out);
        var table = await RunAsync(["tokens", "list"], Admin);
        Assert.Contains("viewer", table.Out);

        var revoke = await RunAsync(["tokens", "revoke", id], Admin);
        Assert.True(revoke.Exit == 0, revoke.Error);
        var after = await RunAsync(["functions", "get", "cli-x"], new() { ["NIMBUS_TOKEN"] = token });
        Assert.NotEqual(0, after.Exit);
        Assert.Contains("Authentication failed", after.Error);
    }

    [Fact]
    public async Task TokensCreate_UnknownRole_IsAUsageError()
    {
        var run = await RunAsync(["tokens", "create", "--role", "root"], Admin);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("--role", run.Error);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_StoresAPrivateProfileThatLaterCommandsUse()
    {
        var create = await RunAsync(["tokens", "create", "--role", "viewer", "--output", "json"], Admin);
        var token = JsonDocument.Parse(create.Out).RootElement.GetProperty("token").GetString()!;

        var login = await RunAsync(["login", "--token-stdin"], stdin: token + "\n");
        var list = await RunAsync(["functions", "list"]);
        var deny = await RunAsync(["functions", "delete", "anything"]);

        Assert.True(login.Exit == 0, login.Error);
        var profile = Path.Combine(_home, "config", "nimbus", "profiles.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(profile));
        Assert.Contains(token, await File.ReadAllTextAsync(profile));
        Assert.True(list.Exit == 0, list.Error);
        Assert.NotEqual(0, deny.Exit);
        Assert.Contains("function:deploy", deny.Error);
    }

    [Fact]
    public async Task KeysCreate_PrintsAnAwsKeyPairThatSigns()
    {
        var create = await RunAsync(["keys", "create", "--role", "invoker"], Admin);

        Assert.True(create.Exit == 0, create.Error);
        var lines = create.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split('=', 2)[0], l => l.Split('=', 2)[1]);
        await _nimbus.DeployNodeAsync("cli-key-target");
        var signed = await new LambdaApiClient(_nimbus.AnonymousClient())
            .InvokeAsync("cli-key-target", """{"action":"echo"}""", sign: (lines["AWS_ACCESS_KEY_ID"], lines["AWS_SECRET_ACCESS_KEY"]));
        Assert.True(signed.Status == System.Net.HttpStatusCode.OK, signed.ToString());
        var keys = await RunAsync(["keys", "list", "--output", "json"], Admin);
        Assert.Contains(lines["AWS_ACCESS_KEY_ID"], keys.Out);
        Assert.DoesNotContain(lines["AWS_SECRET_ACCESS_KEY"], keys.Out);
    }

    [Fact]
    public async Task Audit_ShowsTheTokenOperationsOfThisSession()
    {
        var create = await RunAsync(["tokens", "create", "--role", "operator", "--output", "json"], Admin);
        var id = JsonDocument.Parse(create.Out).RootElement.GetProperty("identity").GetProperty("id").GetString()!;
        await RunAsync(["tokens", "revoke", id], Admin);

        var audit = await RunAsync(["audit", "--since", "1h", "--output", "json"], Admin);
        var text = await RunAsync(["audit", "--since", "1h"], Admin);

        Assert.True(audit.Exit == 0, audit.Error);
        var records = JsonDocument.Parse(audit.Out).RootElement.EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("target").GetString() == $"DELETE /api/v1/tokens/{id}" && r.GetProperty("outcome").GetString() == "allowed");
        Assert.Contains("identity:manage", text.Out);
    }
}
