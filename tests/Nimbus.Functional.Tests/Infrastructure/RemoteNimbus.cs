using System.Net.Http.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>The few calls tests make against a Nimbus running in another process.</summary>
public sealed class RemoteNimbus
{
    private readonly HttpClient _client;

    public RemoteNimbus(HttpClient client) => _client = client;

    public async Task DeployNodeAsync(string name)
    {
        var put = await _client.PutAsJsonAsync($"/api/v1/functions/{name}", new FunctionConfigRequest { Runtime = "node", Handler = "index.handler" }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "PUT config");
        using var content = new ByteArrayContent(DeterministicZip.Create(RepoPaths.Fixture("behaviours-node")));
        content.Headers.ContentType = new("application/zip");
        await NimbusTestServer.EnsureSuccessAsync(await _client.PutAsync($"/api/v1/functions/{name}/code", content), "PUT code");
    }

    public async Task DeployAsync(string name, string codeDirectory, FunctionConfigRequest config)
    {
        var put = await _client.PutAsJsonAsync($"/api/v1/functions/{name}", config, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "PUT config");
        using var content = new ByteArrayContent(DeterministicZip.Create(codeDirectory));
        content.Headers.ContentType = new("application/zip");
        await NimbusTestServer.EnsureSuccessAsync(await _client.PutAsync($"/api/v1/functions/{name}/code", content), "PUT code");
    }

    public async Task InvokeAsync(string name)
    {
        var response = await _client.PostAsJsonAsync($"/api/v1/functions/{name}/invoke", new { action = "echo" });
        await NimbusTestServer.EnsureSuccessAsync(response, "invoke");
    }

    public async Task<int[]> WorkerPidsAsync() =>
        (await _client.GetFromJsonAsync<InstanceInfo[]>("/api/v1/instances", NimbusTestServer.Json))!.Select(i => i.ProcessId).ToArray();
}
