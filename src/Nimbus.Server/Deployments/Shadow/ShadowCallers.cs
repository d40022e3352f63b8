using Microsoft.AspNetCore.Http;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// Tells an endpoint whether the request comes from a shadow execution: a call on an instance's own runtime port
/// (where <c>AWS_ENDPOINT_URL_LAMBDA</c> points) is that instance's, and the instance's current invocation says
/// whether it is a shadow copy (<see cref="ShadowCallGuard"/>). Such a call is to be answered without being made.
/// </summary>
public sealed class ShadowCallers(RuntimePortPool ports, Dispatcher dispatcher, ShadowCallGuard guard)
{
    /// <summary>When the caller is a shadow execution: counts the suppressed call, marks the response, and says so.</summary>
    public bool TrySuppress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var port = context.Connection.LocalPort;
        if (!ports.IsRuntimePort(port) || !guard.TrySuppress(dispatcher.GetInstanceByPort(port)?.Current?.RequestId))
        {
            return false;
        }

        context.Response.Headers[ShadowCallGuard.SuppressedHeader] = "true";
        return true;
    }
}
