using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Hosting;
using Nimbus.Server.Runtime.Sandbox;

namespace Nimbus.Server.Api;

/// <summary><c>GET /api/v1/status</c>: version, data dir, store and sandbox mode of this platform.</summary>
public static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/status", Get);
        MethodNotAllowed.Map(api, "/status", "GET");
    }

    private static Ok<StatusInfo> Get(NimbusServerOptions options, WorkerSandbox sandbox)
    {
        var verdict = sandbox.Verdict;
        return TypedResults.Ok(new StatusInfo(
            Version,
            options.DataDirectory,
            new StoreStatus("sqlite", Path.Combine(options.DataDirectory, "nimbus.db")),
            new SandboxStatus(verdict.Mode.ToString().ToLowerInvariant(), verdict.Reasons, verdict.Memory.ToString().ToLowerInvariant(), verdict.MemoryReason)));
    }

    private static string Version { get; } =
        typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
