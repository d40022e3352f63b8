using System.Collections.Concurrent;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The shadow executions running now, by request id, so that what a shadow does through Nimbus (invoking another
/// function, sending to a queue) is answered without being done, and counted in its deployment's report.
/// </summary>
public sealed class ShadowCallGuard
{
    public const string SuppressedHeader = "X-Nimbus-Shadow-Suppressed";

    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly ShadowReports _reports;

    public ShadowCallGuard(ShadowReports reports) => _reports = reports;

    public void Begin(string requestId, string deploymentId) => _running[requestId] = deploymentId;

    public void End(string requestId) => _running.TryRemove(requestId, out _);

    /// <summary>When <paramref name="requestId"/> is a shadow execution, counts one suppressed call and says so.</summary>
    public bool TrySuppress(string? requestId)
    {
        if (requestId is null || !_running.TryGetValue(requestId, out var deploymentId))
        {
            return false;
        }

        _reports.For(deploymentId).Suppressed();
        return true;
    }
}
