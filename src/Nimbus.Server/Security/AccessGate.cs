using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Functions;
using Nimbus.Core.Security.Policy;
using Nimbus.Server.Gateway;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Security;

/// <inheritdoc cref="IAccessGate"/>
public sealed partial class AccessGate : IAccessGate
{
    public const string MeterName = "Nimbus.Security";
    public const string DecisionsCounter = "nimbus.access.decisions";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_decisions = s_meter.CreateCounter<long>(DecisionsCounter, "{decision}", "Policy decisions on functions' attempts, by function, action and decision");

    private readonly RoutingState _routing;
    private readonly ObservedAccessStore _observed;
    private readonly TelemetrySink _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessGate> _logger;

    public AccessGate(RoutingState routing, ObservedAccessStore observed, TelemetrySink telemetry, TimeProvider time, ILogger<AccessGate> logger)
    {
        _routing = routing;
        _observed = observed;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
    }

    public ValueTask<PolicyDecision> CheckAsync(string functionName, string action, string resource, CancellationToken cancellationToken)
    {
        var policy = _routing.Current.GetFunction(functionName)?.Function.Config.Policy;
        return CheckAsync(functionName, Qualifier.Latest, policy, action, resource, cancellationToken);
    }

    public ValueTask<PolicyDecision> CheckAsync(string functionName, string version, IReadOnlyList<PolicyStatement>? policy, string action, string resource, CancellationToken cancellationToken)
    {
        var decision = PolicyEvaluator.Evaluate(policy, action, resource);
        s_decisions.Add(1, new("function", functionName), new("action", action), new("decision", decision.Allowed ? "allow" : "deny"));
        if (!decision.Allowed)
        {
            var message = decision.DeniedMessage(functionName);
            _telemetry.AccessDenied(functionName, version, "AccessDeniedException: " + message);
            Log.Denied(_logger, functionName, action, resource);
        }

        // Counted in memory and written in the background (ObservedAccessStore): the call never waits for the store.
        _observed.Record(functionName, action, resource, decision.Allowed, _time.GetUtcNow());

        return ValueTask.FromResult(decision);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Denied {FunctionName}: {Action} on {Resource}")]
        public static partial void Denied(ILogger logger, string functionName, string action, string resource);

    }
}
