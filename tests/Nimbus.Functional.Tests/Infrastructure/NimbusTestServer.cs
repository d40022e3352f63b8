using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Logs;
using Nimbus.Server.Hosting;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// A real Nimbus server in this process: real Kestrel on a free port, a real SQLite file in a temp folder, real worker
/// processes. Each test deploys functions under its own names.
/// </summary>
public sealed class NimbusTestServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private NimbusTestServer(NimbusServer server, string dataDirectory)
    {
        Server = server;
        DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        // As the CLI on this machine does: the admin token `nimbus up` wrote into the data dir.
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);
    }

    /// <summary>An access key every test server accepts (role invoker) unless the test sets its own LambdaCredentials.</summary>
    public static readonly (string Id, string Secret) AccessKey = ("NKIATESTSERVERKEY001", "test-server-secret-access-key");

    public NimbusServer Server { get; }
    public string DataDirectory { get; }
    public HttpClient Client { get; }

    public static async Task<NimbusTestServer> StartAsync(Func<NimbusServerOptions, NimbusServerOptions>? configure = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-test-" + Guid.NewGuid().ToString("n")[..12]);
        var options = new NimbusServerOptions
        {
            Port = 0,
            DataDirectory = dataDirectory,
            MaxInstances = 32,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            LambdaCredentials = new Dictionary<string, string> { [AccessKey.Id] = AccessKey.Secret },
            SandboxSharedDirectories = [SharedScratch.Directory],
        };
        options = configure?.Invoke(options) ?? options;
        var server = await NimbusServer.StartAsync(options, CancellationToken.None);
        return new NimbusTestServer(server, dataDirectory);
    }

    /// <summary>A client that sends no credentials.</summary>
    public HttpClient AnonymousClient() => new() { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates a token (or with <paramref name="kind"/> <c>keys</c>, an access key) through the API as admin.</summary>
    public async Task<CreatedIdentity> CreateIdentityAsync(string role, string? functions = null, string kind = "tokens")
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/{kind}", new CreateIdentityRequest(role, functions), Json);
        await EnsureSuccessAsync(response, $"create {kind} {role}");
        return (await response.Content.ReadFromJsonAsync<CreatedIdentity>(Json))!;
    }

    /// <summary>Creates or updates a function from a fixture folder; returns the code upload answer.</summary>
    public async Task<CodeUploadResult> DeployAsync(string name, string codeDirectory, FunctionConfigRequest config)
    {
        var put = await Client.PutAsJsonAsync($"/api/v1/functions/{name}", config, Json);
        await EnsureSuccessAsync(put, $"PUT config of {name}");
        return await UploadCodeAsync(name, DeterministicZip.Create(codeDirectory));
    }

    public async Task<CodeUploadResult> UploadCodeAsync(string name, byte[] zip)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new("application/zip");
        var response = await Client.PutAsync($"/api/v1/functions/{name}/code", content);
        await EnsureSuccessAsync(response, $"PUT code of {name}");
        return (await response.Content.ReadFromJsonAsync<CodeUploadResult>(Json))!;
    }

    public Task<CodeUploadResult> DeployNodeAsync(string name, int memoryMb = 128, double timeoutSeconds = 10, int? reserved = null, Dictionary<string, string>? environment = null) =>
        DeployAsync(name, RepoPaths.Fixture("behaviours-node"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            MemoryMb = memoryMb,
            TimeoutSeconds = timeoutSeconds,
            ReservedConcurrency = reserved,
            Environment = environment,
        });

    public async Task<VersionInfo> PublishAsync(string name)
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/functions/{name}/versions", new PublishVersionRequest(), Json);
        await EnsureSuccessAsync(response, $"publish {name}");
        return (await response.Content.ReadFromJsonAsync<VersionInfo>(Json))!;
    }

    public async Task SetAliasAsync(string name, string alias, int version, int? extraVersion = null, double weight = 0)
    {
        var weights = extraVersion is { } extra ? new Dictionary<string, double> { [extra.ToString(System.Globalization.CultureInfo.InvariantCulture)] = weight } : null;
        var response = await Client.PutAsJsonAsync($"/api/v1/functions/{name}/aliases/{alias}", new AliasRequest(version.ToString(System.Globalization.CultureInfo.InvariantCulture), weights), Json);
        await EnsureSuccessAsync(response, $"alias {name}:{alias}");
    }

    public async Task<InvokeResponse> InvokeAsync(string target, object payload)
    {
        using var content = new StringContent(JsonSerializer.Serialize(payload, Json), Encoding.UTF8, "application/json");
        var response = await Client.PostAsync($"/api/v1/functions/{target}/invoke", content);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new InvokeResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    public async Task<InstanceInfo[]> InstancesAsync(string? functionName = null)
    {
        var all = (await Client.GetFromJsonAsync<InstanceInfo[]>("/api/v1/instances", Json))!;
        return functionName is null ? all : all.Where(i => i.FunctionName == functionName).ToArray();
    }

    /// <summary>Logs of a function, waiting until <paramref name="until"/> holds (the writer stores them in batches).</summary>
    public async Task<LogRecord[]> LogsAsync(string name, string query, Func<LogRecord[], bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var logs = (await Client.GetFromJsonAsync<LogRecord[]>($"/api/v1/functions/{name}/logs?{query}", Json))!;
            if (until(logs) || DateTime.UtcNow > deadline)
            {
                return logs;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; returns whether it did before the timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
