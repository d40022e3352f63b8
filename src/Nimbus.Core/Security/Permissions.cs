namespace Nimbus.Core.Security;

/// <summary>
/// The rights a request may need. A route names one of these; a role is a set of them. The names are what a 403
/// answer and the audit log show, so they are stable.
/// </summary>
public static class Permissions
{
    /// <summary>Read configuration and state: functions, versions, aliases, instances, metrics, errors, alarms, deployments.</summary>
    public const string Read = "function:read";

    /// <summary>Read function logs and invocation records (they may hold payloads).</summary>
    public const string ReadLogs = "logs:read";

    /// <summary>Invoke a function through the native or the Lambda invoke API, or a route with <c>auth: nimbus</c>.</summary>
    public const string Invoke = "function:invoke";

    /// <summary>Create, change and delete functions, upload code, publish versions, move aliases, start deployments.</summary>
    public const string Deploy = "function:deploy";

    /// <summary>Roll an alias back, stop or promote a deployment, report a hook's result.</summary>
    public const string Rollback = "function:rollback";

    /// <summary>Set reserved or provisioned concurrency (0 pauses a function).</summary>
    public const string Pause = "function:pause";

    /// <summary>Read, redrive and purge dead-lettered events.</summary>
    public const string Redrive = "dlq:redrive";

    /// <summary>Create, list and revoke tokens and access keys.</summary>
    public const string ManageIdentities = "identity:manage";

    /// <summary>Read the audit log.</summary>
    public const string ReadAudit = "audit:read";

    public static readonly IReadOnlyList<string> All =
        [Read, ReadLogs, Invoke, Deploy, Rollback, Pause, Redrive, ManageIdentities, ReadAudit];
}
