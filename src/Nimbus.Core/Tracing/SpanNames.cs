namespace Nimbus.Core.Tracing;

/// <summary>Names and attribute keys of the platform's spans (OpenTelemetry semantic conventions where one exists).</summary>
public static class SpanNames
{
    public const string QueueWait = "nimbus.queue_wait";
    public const string Init = "nimbus.init";
    public const string Execute = "nimbus.execute";
    public const string Enqueue = "nimbus.enqueue";

    public const string FaasName = "faas.name";
    public const string FaasVersion = "faas.version";
    public const string FaasInvocationId = "faas.invocation_id";
    public const string FaasColdStart = "faas.coldstart";
    public const string FaasTrigger = "faas.trigger";
    public const string FaasMaxMemory = "faas.max_memory";
    public const string FaasInvokedName = "faas.invoked_name";
    public const string FaasInvokedProvider = "faas.invoked_provider";
    public const string CloudProvider = "cloud.provider";
    public const string ErrorType = "error.type";
    public const string Alias = "nimbus.alias";
    public const string Outcome = "nimbus.outcome";
    public const string Source = "nimbus.source";
    public const string Hops = "nimbus.hops";
    public const string MaxMemoryUsed = "nimbus.max_memory_used_mb";
    public const string InitDuration = "nimbus.init_duration_ms";
}
