using Microsoft.AspNetCore.Http;
using Nimbus.Core.Instances;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition format (version 0.0.4).</summary>
public sealed class PrometheusEndpoint(PrometheusRegistry registry, ConcurrencySampler concurrency, Dispatcher dispatcher, RuntimePortPool ports, TelemetrySink sink,
    OtlpTraceExporter? traceExport = null, AsyncQueueSampler? asyncQueues = null, Events.AsyncEventCounters? asyncCounters = null)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public async Task HandleAsync(HttpContext context)
    {
        var states = Enum.GetValues<InstanceState>().Where(s => s != InstanceState.Dead).ToDictionary(s => s.ToString(), _ => 0);
        foreach (var instance in dispatcher.AllInstances())
        {
            if (instance.State != InstanceState.Dead)
            {
                states[instance.State.ToString()]++;
            }
        }

        var gauges = new PlatformGauges(concurrency.Sample(), states, ports.Available, ports.Capacity, sink.DroppedLogs)
        {
            RecursionDrops = sink.RecursionDrops,
            DroppedExportSpans = traceExport?.DroppedSpans,
            AsyncQueues = asyncQueues?.Latest ?? [],
            AsyncTotals = asyncCounters?.Totals() ?? [],
        };
        var text = new StringWriter { NewLine = "\n" };
        registry.WriteTo(text, gauges);
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
