using System.Collections.Frozen;

namespace Nimbus.Core.Security;

/// <summary>
/// The permission each management API route needs, by method and route template. A route missing from the table
/// needs <see cref="Permissions.ManageIdentities"/> (admin only): a new endpoint is closed until someone decides.
/// </summary>
public static class ApiPermissions
{
    private static readonly FrozenDictionary<string, RouteRequirement> s_routes = new Dictionary<string, RouteRequirement>(StringComparer.Ordinal)
    {
        ["GET /api/v1/health"] = RouteRequirement.Public,

        ["GET /api/v1/functions"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/functions/{name}"] = RouteRequirement.Needs(Permissions.Read),
        ["PUT /api/v1/functions/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["DELETE /api/v1/functions/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["PUT /api/v1/functions/{name}/code"] = RouteRequirement.Needs(Permissions.Deploy),
        ["GET /api/v1/functions/{name}/versions"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/functions/{name}/versions"] = RouteRequirement.Needs(Permissions.Deploy),
        ["GET /api/v1/functions/{name}/aliases"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/functions/{name}/aliases/{alias}"] = RouteRequirement.Needs(Permissions.Read),
        ["PUT /api/v1/functions/{name}/aliases/{alias}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["DELETE /api/v1/functions/{name}/aliases/{alias}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["POST /api/v1/functions/{name}/aliases/{alias}/rollback"] = RouteRequirement.Needs(Permissions.Rollback),
        ["GET /api/v1/functions/{name}/provisioned-concurrency"] = RouteRequirement.Needs(Permissions.Read),
        ["PUT /api/v1/functions/{name}/provisioned-concurrency/{qualifier}"] = RouteRequirement.Needs(Permissions.Pause),
        ["GET /api/v1/functions/{name}/logs"] = RouteRequirement.Needs(Permissions.ReadLogs),
        ["GET /api/v1/functions/{name}/invocations"] = RouteRequirement.Needs(Permissions.ReadLogs),
        ["GET /api/v1/functions/{name}/metrics/summary"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/functions/{name}/errors"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/functions/{name}/dlq"] = RouteRequirement.Needs(Permissions.Redrive),
        ["GET /api/v1/functions/{name}/dlq/{id}"] = RouteRequirement.Needs(Permissions.Redrive),
        ["POST /api/v1/functions/{name}/dlq/redrive"] = RouteRequirement.Needs(Permissions.Redrive),
        ["DELETE /api/v1/functions/{name}/dlq"] = RouteRequirement.Needs(Permissions.Redrive),
        ["POST /api/v1/functions/{name}/deployments"] = RouteRequirement.Needs(Permissions.Deploy),
        ["GET /api/v1/functions/{name}/deployments"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/functions/{name}/invoke"] = RouteRequirement.Needs(Permissions.Invoke),
        ["GET /api/v1/instances"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/metrics"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/errors/{id}"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/alarms"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/alarms/{name}"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/alarms/{name}/history"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/deployments"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/deployments/{id}"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/deployments/{id}/stop"] = RouteRequirement.Needs(Permissions.Rollback),
        ["POST /api/v1/deployments/{id}/promote"] = RouteRequirement.Needs(Permissions.Rollback),
        ["PUT /api/v1/deployments/{id}/hooks/{hookExecutionId}"] = RouteRequirement.Needs(Permissions.Rollback),
        // A freeze stops changes, as pausing does: operators may set one; a deployer may lift one, as --force passes it anyway.
        ["GET /api/v1/freeze-windows"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/freeze-windows"] = RouteRequirement.Needs(Permissions.Pause),
        ["DELETE /api/v1/freeze-windows/{id}"] = RouteRequirement.Needs(Permissions.Pause),
        ["GET /api/v1/schedules"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/alarms/{name}/mute"] = RouteRequirement.Needs(Permissions.Pause),
        ["DELETE /api/v1/alarms/{name}/mute"] = RouteRequirement.Needs(Permissions.Pause),
        ["POST /api/v1/alarms/{name}/test"] = RouteRequirement.Needs(Permissions.Pause),
        ["GET /api/v1/alarms/{name}/notifications"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/alarms/{name}/runbook"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/slos"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/functions/{name}/health"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/timeline"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/functions/{name}/schedules/pause"] = RouteRequirement.Needs(Permissions.Pause),
        ["POST /api/v1/functions/{name}/schedules/resume"] = RouteRequirement.Needs(Permissions.Pause),
        ["GET /api/v1/traces"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/traces/{traceId}"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/status"] = RouteRequirement.Needs(Permissions.Read),

        // Delivered invocation records carry payloads, as logs do; the webhook signing key is secret material.
        ["GET /api/v1/functions/{name}/deliveries"] = RouteRequirement.Needs(Permissions.ReadLogs),
        ["GET /api/v1/functions/{name}/webhook-secret"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["POST /api/v1/functions/{name}/webhook-secret/rotate"] = RouteRequirement.Needs(Permissions.ManageIdentities),

        // Secret names and versions are configuration; values are never answered. The master key is the admin's.
        ["GET /api/v1/secrets"] = RouteRequirement.Needs(Permissions.Read),
        ["PUT /api/v1/secrets/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["POST /api/v1/secrets/{name}/rotate"] = RouteRequirement.Needs(Permissions.Deploy),
        ["DELETE /api/v1/secrets/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["POST /api/v1/secrets/rotate-master-key"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["GET /api/v1/functions/{name}/policy/suggestion"] = RouteRequirement.Needs(Permissions.Read),

        // Sending a message makes functions run, as an invoke does; dead letters hold message bodies, as a DLQ does.
        ["GET /api/v1/queues"] = RouteRequirement.Needs(Permissions.Read),
        ["GET /api/v1/queues/{name}"] = RouteRequirement.Needs(Permissions.Read),
        ["PUT /api/v1/queues/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["DELETE /api/v1/queues/{name}"] = RouteRequirement.Needs(Permissions.Deploy),
        ["POST /api/v1/queues/{name}/messages"] = RouteRequirement.Needs(Permissions.Invoke),
        ["GET /api/v1/queues/{name}/dead-letters"] = RouteRequirement.Needs(Permissions.Redrive),
        ["GET /api/v1/sources"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /api/v1/functions/{name}/sources/pause"] = RouteRequirement.Needs(Permissions.Pause),
        ["POST /api/v1/functions/{name}/sources/resume"] = RouteRequirement.Needs(Permissions.Pause),
        ["GET /api/v1/tokens"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["POST /api/v1/tokens"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["DELETE /api/v1/tokens/{id}"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["GET /api/v1/keys"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["POST /api/v1/keys"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["DELETE /api/v1/keys/{id}"] = RouteRequirement.Needs(Permissions.ManageIdentities),
        ["GET /api/v1/audit"] = RouteRequirement.Needs(Permissions.ReadAudit),
        ["GET /metrics"] = RouteRequirement.Needs(Permissions.Read),
        ["POST /2015-03-31/functions/{name}/invocations"] = RouteRequirement.Needs(Permissions.Invoke),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly RouteRequirement s_unlisted = RouteRequirement.Needs(Permissions.ManageIdentities);

    /// <param name="method">The HTTP method the endpoint serves; null for an endpoint of every method (a 405 answer).</param>
    /// <param name="template">The route template, e.g. <c>/api/v1/functions/{name}</c>.</param>
    public static RouteRequirement For(string? method, string template)
    {
        if (method is null)
        {
            return RouteRequirement.Authenticated;
        }

        return s_routes.TryGetValue($"{method} {template}", out var requirement) ? requirement : s_unlisted;
    }

    /// <summary>Whether the table names this route (a test asserts every mapped route is listed).</summary>
    public static bool IsListed(string method, string template) => s_routes.ContainsKey($"{method} {template}");
}
