using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Security.Policy;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Security;

/// <summary>Secrets reach a function only through its policy, and never leave it through its logs or errors (real server, real node workers).</summary>
public sealed class SecretsTests
{
    private const string Password = "correct-horse-battery-staple";

    private static FunctionConfigRequest Config(List<PolicyStatement>? policy, Dictionary<string, string>? environment = null) => new()
    {
        Runtime = "node",
        Handler = "index.handler",
        TimeoutSeconds = 10,
        Environment = environment,
        Policy = policy,
    };

    private static async Task SetSecretAsync(NimbusTestServer nimbus, string name, string value)
    {
        var put = await nimbus.Client.PutAsJsonAsync($"/api/v1/secrets/{name}", new SecretValueRequest(value), NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, $"set secret {name}");
    }

    [Fact]
    public async Task EnvironmentSecret_PrintedOrThrownByTheFunction_IsMaskedInLogsAndErrors()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await SetSecretAsync(nimbus, "db-password", Password);
        await nimbus.DeployAsync("printer", RepoPaths.Fixture("secrets-node"),
            Config([new("secret:read", "db-password")], new() { ["DB_PASSWORD"] = "secret:db-password" }));

        var printed = await nimbus.InvokeAsync("printer", new { print = "DB_PASSWORD" });
        var thrown = await nimbus.InvokeAsync("printer", new { @throw = "DB_PASSWORD" });

        Assert.True(printed.FunctionError is null, $"print: {printed}");
        Assert.Equal("failed with ***", thrown.ErrorMessage);
        var logs = await nimbus.LogsAsync("printer", "limit=200", l => l.Any(r => r.Message.Contains("value of DB_PASSWORD", StringComparison.Ordinal)) && l.Any(r => r.Message.Contains("failed with", StringComparison.Ordinal)));
        Assert.Contains(logs, r => r.Message.Contains("value of DB_PASSWORD: ***", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, r => r.Message.Contains(Password, StringComparison.Ordinal));
        var raw = await nimbus.Client.GetStringAsync("/api/v1/functions/printer/logs?limit=200");
        Assert.DoesNotContain(Password, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentSecret_WithoutGrantOrMissing_FailsInitNamingWhatIsMissing()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await SetSecretAsync(nimbus, "db-password", Password);
        await nimbus.DeployAsync("ungranted", RepoPaths.Fixture("secrets-node"), Config(null, new() { ["DB_PASSWORD"] = "secret:db-password" }));
        await nimbus.DeployAsync("missing", RepoPaths.Fixture("secrets-node"),
            Config([new("secret:read", "nope")], new() { ["DB_PASSWORD"] = "secret:nope" }));

        var denied = await nimbus.InvokeAsync("ungranted", new { print = "DB_PASSWORD" });
        var missing = await nimbus.InvokeAsync("missing", new { print = "DB_PASSWORD" });

        var deniedMessage = denied.Json.GetProperty("errorMessage").GetString();
        Assert.Equal(
            "environment variable DB_PASSWORD refers to secret 'db-password': AccessDeniedException: User: function/ungranted is not authorized to perform: secret:read on resource: db-password; add {allow: secret:read, resource: db-password} to the function's policy",
            deniedMessage);
        Assert.DoesNotContain(Password, denied.Body, StringComparison.Ordinal);
        Assert.Contains("secret 'nope', which does not exist", missing.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        var logs = await nimbus.LogsAsync("ungranted", "limit=50", l => l.Any(r => r.Message.StartsWith("AccessDeniedException", StringComparison.Ordinal)));
        Assert.Contains(logs, r => r.Stream == "platform" && r.Message.Contains("secret:read on resource: db-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretsExtension_AnswersGetSecretValue_OnlyForGrantedSecretsAndTheInstanceToken()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await SetSecretAsync(nimbus, "api-key", Password);
        await SetSecretAsync(nimbus, "other", "not-for-this-function");
        await nimbus.DeployAsync("fetcher", RepoPaths.Fixture("secrets-node"), Config([new("secret:read", "api-*")]));

        var allowed = await nimbus.InvokeAsync("fetcher", new { fetch = "api-key" });
        var denied = await nimbus.InvokeAsync("fetcher", new { fetch = "other" });
        var wrongToken = await nimbus.InvokeAsync("fetcher", new { fetch = "api-key", token = "guess" });

        var answer = JsonDocument.Parse(allowed.Json.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(200, allowed.Json.GetProperty("status").GetInt32());
        Assert.Equal(Password, answer.GetProperty("SecretString").GetString());
        Assert.Equal("api-key", answer.GetProperty("Name").GetString());
        Assert.Equal("arn:aws:secretsmanager:us-east-1:000000000000:secret:api-key", answer.GetProperty("ARN").GetString());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("VersionId").GetString()));
        Assert.Equal("AWSCURRENT", answer.GetProperty("VersionStages")[0].GetString());
        Assert.Equal(403, denied.Json.GetProperty("status").GetInt32());
        Assert.Contains("User: function/fetcher is not authorized to perform: secret:read on resource: other", denied.Json.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, wrongToken.Json.GetProperty("status").GetInt32());

        // A value read at run time is masked from then on.
        var logs = await nimbus.LogsAsync("fetcher", "limit=100", l => l.Any(r => r.Message.Contains("fetched", StringComparison.Ordinal)));
        Assert.Contains(logs, r => r.Message.Contains("fetched ***", StringComparison.Ordinal));

        // What it did is what the suggestion grants; the wildcard is narrowable, the denied read is reported.
        var suggestion = (await nimbus.Client.GetFromJsonAsync<PolicySuggestionInfo>("/api/v1/functions/fetcher/policy/suggestion", NimbusTestServer.Json))!;
        Assert.Equal([new("secret:read", "api-key"), new("secret:read", "other")], suggestion.Suggested);
        Assert.Equal("other", Assert.Single(suggestion.DeniedAttempts).Resource);
        Assert.Equal(["api-key"], Assert.Single(suggestion.Narrowable).UsedResources);
        Assert.Empty(suggestion.UnusedGrants);
    }

    [Fact]
    public async Task SecretsApi_ListsNamesAndVersionsOnly_AndRefusesBadInput()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await SetSecretAsync(nimbus, "db-password", Password);
        var rotate = await nimbus.Client.PostAsJsonAsync("/api/v1/secrets/db-password/rotate", new SecretValueRequest("second-value-123"), NimbusTestServer.Json);
        var rotateMissing = await nimbus.Client.PostAsJsonAsync("/api/v1/secrets/none/rotate", new SecretValueRequest("x-value"), NimbusTestServer.Json);
        var badName = await nimbus.Client.PutAsJsonAsync("/api/v1/secrets/has%20space", new SecretValueRequest("x-value"), NimbusTestServer.Json);
        var noValue = await nimbus.Client.PutAsJsonAsync("/api/v1/secrets/empty", new SecretValueRequest(null), NimbusTestServer.Json);

        var listText = await nimbus.Client.GetStringAsync("/api/v1/secrets");
        var list = JsonSerializer.Deserialize<SecretInfo[]>(listText, NimbusTestServer.Json)!;
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.Equal(("db-password", 2), (Assert.Single(list).Name, list[0].Version));
        Assert.DoesNotContain(Password, listText, StringComparison.Ordinal);
        Assert.DoesNotContain("second-value-123", listText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, rotateMissing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noValue.StatusCode);
        var delete = await nimbus.Client.DeleteAsync("/api/v1/secrets/db-password");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nimbus.Client.DeleteAsync("/api/v1/secrets/db-password")).StatusCode);
    }
}
